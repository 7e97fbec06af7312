/**
 * What a produced case package holds, relative to its folder:
 *
 *   archive/<S3 key>          every recording and custody record, same key layout as the bucket
 *   signing-key.pem           the custody signing key's public key (EC P-256, SPKI PEM)
 *   verification.json         every check `verify` made on each recording at production
 *   report.html               the custody report (self-contained); report.pdf when --pdf
 *   manifest.json             case, producer, archive, key, captured S3 facts, and every file above (path, bytes, SHA-256)
 *   SHA256SUMS                `sha256sum -c` lines for every file, manifest.json included
 *
 * While a production runs, `.case-produce-state.json` records what is
 * downloaded and verified so far, and `*.part` files hold partial downloads.
 */

export const ARCHIVE_DIR = "archive";
export const PUBLIC_KEY_FILE = "signing-key.pem";
export const VERIFICATION_FILE = "verification.json";
export const REPORT_HTML = "report.html";
export const REPORT_PDF = "report.pdf";
export const MANIFEST_FILE = "manifest.json";
export const SUMS_FILE = "SHA256SUMS";
export const STATE_FILE = ".case-produce-state.json";
export const PARTIAL_SUFFIX = ".part";

export const PACKAGE_KIND = "legal-hold-case-package";

/** The package path of an archive key. */
export const archivePath = (key: string) => `${ARCHIVE_DIR}/${key}`;

export interface PackageFile {
  path: string;
  bytes: number;
  sha256: string;
}

/** S3's answers about a stored media version at production, as verify's StoredFacts, serializable. */
export interface CapturedFacts {
  versionId: CapturedOutcome;
  checksumCRC64NVME: CapturedOutcome;
  checksumCRC32: CapturedOutcome;
  legalHold: CapturedOutcome;
  /** ISO time, or null when the version has no retention. */
  retainUntil: CapturedOutcome;
}
export type CapturedOutcome = { ok: true; value: string | null } | { ok: false; error: string };

/** Which package this is: a re-run into the same folder must name the same case, bucket and conversations. */
export interface PackageIdentity {
  caseId: string;
  bucket: string;
  /** null: the whole case. */
  conversations: string[] | null;
}

export interface PackageRecording {
  mediaKey: string;
  /** S3 facts of the media version, as read at production. */
  facts: CapturedFacts | null;
}

export interface PackageManifest extends PackageIdentity {
  schemaVersion: 1;
  kind: typeof PACKAGE_KIND;
  producedAt: string;
  producedBy: string;
  tool: string;
  signingKey: { keyIds: string[]; file: string; spkiSha256: string; source: string };
  recordings: PackageRecording[];
  files: PackageFile[];
}

export const sameIdentity = (a: PackageIdentity, b: PackageIdentity) =>
  a.caseId === b.caseId && a.bucket === b.bucket && JSON.stringify(a.conversations) === JSON.stringify(b.conversations);

export const describeIdentity = (identity: PackageIdentity) =>
  `case ${identity.caseId} from s3://${identity.bucket}${identity.conversations ? ` (conversations ${identity.conversations.join(", ")})` : ""}`;

/** `sha256sum` output for the files, sorted by path: what `sha256sum -c` reads, and the only form verify accepts. */
export function renderSums(files: PackageFile[]): string {
  return [...files]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((f) => `${f.sha256}  ${f.path}\n`)
    .join("");
}
