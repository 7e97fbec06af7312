/** The media formats Genesys can transcode a recording to (facts §3). */
export const RECORDING_FORMATS = ["WAV", "WEBM", "WAV_ULAW", "OGG_VORBIS", "OGG_OPUS", "MP3"] as const;
export type RecordingFormat = (typeof RECORDING_FORMATS)[number];
