import { open } from "node:fs/promises";

/**
 * A WAV recording's duration from its RIFF header (fmt's byte rate, data's
 * size), for the custody report's "duration if known". Anything that is not
 * a plain RIFF/WAVE file answers undefined: the report says "unknown" rather
 * than guess.
 */

const HEADER_BYTES = 64 * 1024;

export function wavDurationSeconds(header: Buffer, fileBytes: number): number | undefined {
  if (header.length < 12 || header.toString("latin1", 0, 4) !== "RIFF" || header.toString("latin1", 8, 12) !== "WAVE") return undefined;
  let byteRate: number | undefined;
  for (let offset = 12; offset + 8 <= header.length; ) {
    const id = header.toString("latin1", offset, offset + 4);
    const size = header.readUInt32LE(offset + 4);
    if (id === "fmt " && offset + 16 <= header.length) byteRate = header.readUInt32LE(offset + 8 + 8);
    if (id === "data") {
      if (!byteRate) return undefined;
      // Streamed WAVs may carry a placeholder size; the bytes actually present bound it.
      const dataBytes = Math.min(size, fileBytes - (offset + 8));
      return dataBytes > 0 ? dataBytes / byteRate : undefined;
    }
    offset += 8 + size + (size % 2);
  }
  return undefined;
}

export async function wavFileDurationSeconds(path: string): Promise<number | undefined> {
  const file = await open(path, "r");
  try {
    const { size } = await file.stat();
    const buffer = Buffer.alloc(Math.min(HEADER_BYTES, size));
    await file.read(buffer, 0, buffer.length, 0);
    return wavDurationSeconds(buffer, size);
  } finally {
    await file.close();
  }
}
