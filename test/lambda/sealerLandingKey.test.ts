import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LandingKeyError, type LandingRecording, metadataKeysFor, parseLandingKey } from "../../lambda/bulk/landingKey";

const ORG_ID = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";
const CONVERSATION_ID = "6f1b2a3c-4d5e-4f60-8a7b-9c0d1e2f3a4b";
const RECORDING_ID = "0b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e";
const FOLDER = `${ORG_ID}/year=2026/month=11/day=3/hour=07/conversation_id=${CONVERSATION_ID}/`;

function reasonFor(key: string, organizationId?: string): string {
  try {
    parseLandingKey(key, organizationId);
  } catch (error) {
    expect(error).toBeInstanceOf(LandingKeyError);
    return (error as LandingKeyError).reason;
  }
  throw new Error(`expected ${key} to be refused`);
}

const uuid = fc.uuid();
const padded = (max: number, min: number) =>
  fc.tuple(fc.integer({ min, max }), fc.boolean()).map(([n, pad]) => ({ n, text: pad ? String(n).padStart(2, "0") : String(n) }));

describe("parseLandingKey", () => {
  it("reads a recording key: organization, conversation start, conversation, recording, file", () => {
    expect(parseLandingKey(`${FOLDER}${RECORDING_ID}`, ORG_ID)).toEqual({
      kind: "recording",
      key: `${FOLDER}${RECORDING_ID}`,
      organizationId: ORG_ID,
      conversationId: CONVERSATION_ID,
      recordingId: RECORDING_ID,
      fileName: RECORDING_ID,
      folder: FOLDER,
      extension: undefined,
      conversationStart: { year: 2026, month: 11, day: 3, hour: 7 },
    });
    expect(parseLandingKey(`${FOLDER}${RECORDING_ID}.opus`)).toMatchObject({
      kind: "recording",
      recordingId: RECORDING_ID,
      extension: "opus",
    });
  });

  it("tells a metadata file from a recording, in both names it may carry", () => {
    expect(parseLandingKey(`${FOLDER}${RECORDING_ID}_metadata.json`)).toMatchObject({ kind: "metadata", recordingId: RECORDING_ID });
    expect(parseLandingKey(`${FOLDER}${RECORDING_ID}.opus_metadata.json`)).toMatchObject({ kind: "metadata", recordingId: RECORDING_ID });
  });

  it("accepts every valid date and hour, zero-padded or not, and reads the same numbers", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1970, max: 9999 }),
        padded(12, 1),
        padded(31, 1),
        padded(23, 0),
        uuid,
        uuid,
        fc.constantFrom("", ".wav", ".opus", ".WEBM"),
        (year, month, day, hour, conversationId, recordingId, extension) => {
          const key = `${ORG_ID}/year=${year}/month=${month.text}/day=${day.text}/hour=${hour.text}/conversation_id=${conversationId}/${recordingId}${extension}`;
          const parsed = parseLandingKey(key, ORG_ID);
          expect(parsed).toMatchObject({
            kind: "recording",
            conversationId,
            recordingId,
            folder: key.slice(0, -(recordingId + extension).length),
          });
          expect(parsed.conversationStart).toEqual({ year, month: month.n, day: day.n, hour: hour.n });
        },
      ),
    );
  });

  it("refuses out-of-range or malformed partitions, naming the partition", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          ["month", "13"],
          ["month", "0"],
          ["month", "001"],
          ["day", "32"],
          ["day", " 1"],
          ["hour", "24"],
          ["hour", "-1"],
          ["hour", "7.0"],
          ["hour", ""],
        ),
        ([name, value]) => {
          const key = FOLDER.replace(new RegExp(`${name}=[^/]*`), `${name}=${value}`) + RECORDING_ID;
          expect(reasonFor(key)).toContain(`${name} must be a number`);
        },
      ),
    );
  });

  it("refuses any key that is not seven segments, naming the layout", () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z0-9=_.-]{1,8}$/), { minLength: 0, maxLength: 12 }), (segments) => {
        fc.pre(segments.length !== 7);
        expect(reasonFor(segments.join("/"))).toMatch(/^expected 7 segments/);
      }),
    );
  });

  it("never accepts an arbitrary string without saying why", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (key) => {
        try {
          const parsed = parseLandingKey(key);
          expect(parsed.key).toBe(key);
        } catch (error) {
          expect(error).toBeInstanceOf(LandingKeyError);
          expect((error as LandingKeyError).reason.length).toBeGreaterThan(0);
        }
      }),
    );
  });

  it("names the wrong part of a key", () => {
    expect(reasonFor(`${FOLDER}${RECORDING_ID}`, "ffffffff-e5f6-4a7b-8c9d-0e1f2a3b4c5d")).toBe(
      "the first segment is not this stack's Genesys organization id",
    );
    expect(reasonFor(FOLDER.replace(ORG_ID, "org") + RECORDING_ID)).toBe("the first segment must be the Genesys organization id (a UUID)");
    expect(reasonFor(FOLDER.replace("year=", "yr=") + RECORDING_ID)).toBe('expected "year=…" but found "yr=2026"');
    expect(reasonFor(FOLDER.replace(`conversation_id=${CONVERSATION_ID}`, "conversation_id=x") + RECORDING_ID)).toBe(
      'the sixth segment must be "conversation_id={UUID}"',
    );
    expect(reasonFor(`${FOLDER}notes.txt`)).toBe("recording file: the file name must start with the recording id (a UUID)");
    expect(reasonFor(`${FOLDER}${RECORDING_ID}.tar.gz`)).toBe(
      "recording file: the file name may only end in one extension of 1-10 letters or digits",
    );
    expect(reasonFor(`${FOLDER}x_metadata.json`)).toBe(
      'metadata file: the file name must start with the recording id (a UUID), then "_metadata.json"',
    );
  });
});

describe("metadataKeysFor", () => {
  it("looks for {recordingId}_metadata.json, then {recordingFile}_metadata.json when the file has an extension", () => {
    const bare = parseLandingKey(`${FOLDER}${RECORDING_ID}`) as LandingRecording;
    const withExtension = parseLandingKey(`${FOLDER}${RECORDING_ID}.opus`) as LandingRecording;

    expect(metadataKeysFor(bare)).toEqual([`${FOLDER}${RECORDING_ID}_metadata.json`]);
    expect(metadataKeysFor(withExtension)).toEqual([
      `${FOLDER}${RECORDING_ID}_metadata.json`,
      `${FOLDER}${RECORDING_ID}.opus_metadata.json`,
    ]);
  });

  it("names only keys that parse back as this recording's metadata", () => {
    fc.assert(
      fc.property(uuid, fc.constantFrom("", ".wav", ".opus"), (recordingId, extension) => {
        const recording = parseLandingKey(`${FOLDER}${recordingId}${extension}`) as LandingRecording;
        for (const key of metadataKeysFor(recording)) {
          expect(parseLandingKey(key)).toMatchObject({ kind: "metadata", recordingId, conversationId: CONVERSATION_ID });
        }
      }),
    );
  });
});
