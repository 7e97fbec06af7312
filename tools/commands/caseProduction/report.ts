import type { CheckStatus } from "../custodyVerify/checks";
import { MANIFEST_FILE, PUBLIC_KEY_FILE, SUMS_FILE, VERIFICATION_FILE } from "./packageLayout";

/**
 * The custody report: one self-contained HTML page (inline CSS, no scripts,
 * no external assets) that a person can read, print, sign off and file. Every
 * value is escaped: case ids, requestedBy and S3 answers come from outside.
 */

export interface ReportRow {
  conversationId: string;
  recordingId: string;
  mediaKey: string;
  durationSeconds: number | undefined;
  bytes: number | undefined;
  sha256: string | undefined;
  collectedAt: string | undefined;
  requestedBy: string | undefined;
  versionId: string | undefined;
  legalHold: string | undefined;
  retainUntil: string | undefined;
  signature: CheckStatus;
  recordFormat: "DSSE envelope" | "manifest + signature file";
  ok: boolean;
}

export interface ReportProblem {
  where: string;
  check: string;
  status: string;
  detail: string;
}

export interface ReportData {
  caseId: string;
  conversations: string[] | null;
  producedAt: string;
  producedBy: string;
  tool: string;
  bucket: string;
  keyIds: string[];
  keySource: string;
  spkiSha256: string;
  rows: ReportRow[];
  problems: ReportProblem[];
  fileCount: number;
  /** Bytes of the recordings and custody records. */
  totalBytes: number;
}

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/gu, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);
}

const UNKNOWN = '<span class="muted">unknown</span>';
const text = (value: string | undefined) => (value === undefined || value === "" ? UNKNOWN : escapeHtml(value));
const code = (value: string | undefined) => (value === undefined ? UNKNOWN : `<code>${escapeHtml(value)}</code>`);

function duration(seconds: number | undefined): string {
  if (seconds === undefined) return UNKNOWN;
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  return escapeHtml(`${h > 0 ? `${h}:${String(m).padStart(2, "0")}` : m}:${String(s).padStart(2, "0")}`);
}

const bytes = (value: number | undefined) => (value === undefined ? UNKNOWN : escapeHtml(value.toLocaleString("en-US")));

function humanBytes(value: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let size = value;
  let unit = 0;
  while (size >= 1024 && unit < units.length - 1) {
    size /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} bytes` : `${size.toFixed(1)} ${units[unit]}`;
}

function verdict(status: CheckStatus): string {
  const label = status === "ok" ? "Verified" : status === "UNKNOWN" ? "Could not check" : status === "n/a" ? "n/a" : "FAILED";
  return `<span class="badge ${status === "ok" ? "good" : "bad"}">${escapeHtml(label)}</span>`;
}

/** A time as UTC, readable, with the ISO value kept for machines. */
function time(iso: string | undefined): string {
  if (iso === undefined) return UNKNOWN;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return escapeHtml(iso);
  return `<time datetime="${escapeHtml(date.toISOString())}">${escapeHtml(
    date
      .toISOString()
      .replace("T", " ")
      .replace(/\.\d+Z$/u, " UTC"),
  )}</time>`;
}

const STYLE = `
@page { size: A4 landscape; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { font: 10.5pt/1.45 "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #1d2330; margin: 0; padding: 28px 36px; background: #fff; }
header { border-bottom: 3px solid #1f3a5f; padding-bottom: 12px; margin-bottom: 18px; display: flex; justify-content: space-between; align-items: flex-end; gap: 24px; }
h1 { font-size: 20pt; margin: 0; color: #1f3a5f; letter-spacing: .2px; }
.subtitle { color: #4a5568; margin-top: 4px; }
.verdict { font-size: 12pt; font-weight: 700; padding: 8px 14px; border-radius: 4px; white-space: nowrap; }
.verdict.good { background: #e6f4ea; color: #1e6b34; border: 1px solid #9fd3ae; }
.verdict.bad { background: #fdecea; color: #a61b1b; border: 1px solid #f1a9a0; }
h2 { font-size: 13pt; color: #1f3a5f; border-bottom: 1px solid #cbd5e0; padding-bottom: 3px; margin: 22px 0 10px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; margin: 0; }
dl.facts dt { color: #4a5568; font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
dl.facts code { font-size: 9pt; }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt; }
th, td { border: 1px solid #cbd5e0; padding: 4px 5px; text-align: left; vertical-align: top; }
th { background: #edf2f7; color: #1f3a5f; font-weight: 700; }
tbody tr:nth-child(even) td { background: #f8fafc; }
tbody tr.failed td { background: #fff5f5; }
td.num { text-align: right; white-space: nowrap; }
code, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 8pt; }
td code.hash { word-break: break-all; }
.muted { color: #8a94a6; font-style: italic; }
.badge { display: inline-block; padding: 1px 6px; border-radius: 3px; font-weight: 700; font-size: 8pt; white-space: nowrap; }
.badge.good { background: #e6f4ea; color: #1e6b34; }
.badge.bad { background: #fdecea; color: #a61b1b; }
ul.problems li { margin-bottom: 3px; }
ol.steps li { margin-bottom: 10px; }
pre { background: #f4f6f9; border: 1px solid #dde3ea; border-radius: 3px; padding: 7px 9px; white-space: pre-wrap; overflow-wrap: anywhere; margin: 5px 0 0; }
.signoff { display: grid; grid-template-columns: 1fr 1fr 1fr; gap: 28px; margin-top: 26px; }
.signoff div { border-top: 1px solid #1d2330; padding-top: 4px; color: #4a5568; font-size: 9pt; }
footer { margin-top: 22px; color: #8a94a6; font-size: 8pt; border-top: 1px solid #e2e8f0; padding-top: 6px; }
@media print { body { padding: 0; } h2 { break-after: avoid; } tr, li, pre { break-inside: avoid; } thead { display: table-header-group; } }
`;

function recordingsTable(rows: ReportRow[]): string {
  const head = [
    "#",
    "Conversation",
    "Recording",
    "Duration",
    "Bytes",
    "SHA-256",
    "Collected (stored)",
    "Requested by",
    "S3 version",
    "Legal hold",
    "Retained until",
    "Signature",
  ];
  const body = rows.map(
    (row, index) => `<tr${row.ok ? "" : ' class="failed"'}>
<td class="num">${index + 1}</td><td>${code(row.conversationId)}</td><td>${code(row.recordingId)}<br><span class="muted">${escapeHtml(row.recordFormat)}</span></td>
<td class="num">${duration(row.durationSeconds)}</td><td class="num">${bytes(row.bytes)}</td><td>${row.sha256 === undefined ? UNKNOWN : `<code class="hash">${escapeHtml(row.sha256)}</code>`}</td>
<td>${time(row.collectedAt)}</td><td>${text(row.requestedBy)}</td><td>${row.versionId === undefined ? UNKNOWN : `<code class="hash">${escapeHtml(row.versionId)}</code>`}</td>
<td>${text(row.legalHold)}</td><td>${time(row.retainUntil)}</td><td>${verdict(row.signature)}</td></tr>`,
  );
  return `<table class="recordings">
<thead><tr>${head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join("")}</tr></thead>
<tbody>
${body.join("\n")}
</tbody>
</table>`;
}

function problemsSection(problems: ReportProblem[]): string {
  if (problems.length === 0) return '<p class="none">None: every check passed for every recording.</p>';
  return `<ul class="problems">${problems
    .map(
      (p) =>
        `<li><code>${escapeHtml(p.where)}</code>: <strong>${escapeHtml(p.check)}</strong> ${escapeHtml(p.status)}${p.detail ? ` (${escapeHtml(p.detail)})` : ""}</li>`,
    )
    .join("\n")}</ul>`;
}

function stepsSection(data: ReportData): string {
  const sample =
    data.rows.find((row) => row.recordFormat === "DSSE envelope")?.mediaKey ??
    "cases/<case>/conversations/<conversation>/recordings/<recording>.wav";
  const pre = (lines: string[]) => `<pre>${escapeHtml(lines.join("\n"))}</pre>`;
  return `<ol class="steps">
<li>Check that no file of the package changed since it was produced (GNU coreutils): every line must say <code>OK</code>.
${pre(["cd <package folder>", `sha256sum -c ${SUMS_FILE}`])}
<code>${escapeHtml(MANIFEST_FILE)}</code> lists the same files with their sizes; <code>${escapeHtml(SUMS_FILE)}</code> covers it too.</li>
<li>Check that <code>${escapeHtml(PUBLIC_KEY_FILE)}</code> is the archive's signing key: its fingerprint must be the one above, and the key AWS KMS gives for the key id above (with read access: <code>aws kms get-public-key --key-id &lt;key id&gt;</code>).
${pre([`openssl pkey -pubin -in ${PUBLIC_KEY_FILE} -outform DER | sha256sum`])}</li>
<li>For each recording, check the signature of its custody record (a DSSE envelope whose payload is an in-toto Statement) with OpenSSL, over DSSE's pre-authentication encoding, and that the signed fingerprint is the recording's (needs <code>jq</code>, <code>openssl</code>, <code>base64</code>):
${pre([
  `REC='archive/${sample}'`,
  `jq -r .payload "$REC.custody.dsse.json" | base64 -d > statement.json`,
  `jq -r '.signatures[0].sig' "$REC.custody.dsse.json" | base64 -d > sig.der`,
  "T=application/vnd.in-toto+json",
  // Shell text, not a template: \${#T} is the shell's length of $T.
  `printf 'DSSEv1 %d %s %d ' \${#T} $T $(wc -c < statement.json) > pae.bin && cat statement.json >> pae.bin`,
  `openssl dgst -sha256 -verify ${PUBLIC_KEY_FILE} -signature sig.der pae.bin     # Verified OK`,
  `jq -r '.subject[0].digest.sha256' statement.json; sha256sum "$REC"     # the same fingerprint`,
  "jq .predicate statement.json     # case, conversation, recording, who asked, when, S3 version, legal hold",
])}</li>
<li>Or with the Secure Systems Lab's DSSE library (Debian: <code>apt-get install python3-securesystemslib</code>), independent of this project and of OpenSSL's command line:
${pre([
  "python3 - \"$REC.custody.dsse.json\" signing-key.pem <<'PY'",
  "import base64, hashlib, json, sys",
  "from securesystemslib.signer import Signature, SSlibKey",
  "env = json.load(open(sys.argv[1])); pem = open(sys.argv[2]).read()",
  "kid = hashlib.sha256(env['signatures'][0]['keyid'].encode()).hexdigest()",
  "key = SSlibKey(kid, 'ecdsa', 'ecdsa-sha2-nistp256', {'public': pem})",
  "body, t = base64.b64decode(env['payload']), env['payloadType'].encode()",
  "pae = b'DSSEv1 %d %s %d %s' % (len(t), t, len(body), body)",
  "key.verify_signature(Signature(kid, base64.b64decode(env['signatures'][0]['sig']).hex()), pae)",
  "print('verified', json.loads(body)['subject'][0])",
  "PY",
])}
With securesystemslib 0.28 or later, <code>securesystemslib.dsse.Envelope.from_dict(env).verify([key], 1)</code> does the same (the key's id must then be the envelope's <code>keyid</code>).</li>
<li>Recordings archived by earlier releases have a manifest and a signature file instead of an envelope:
${pre([
  `jq -r .signature "$REC.custody.sig.json" | base64 -d > sig.der`,
  `openssl dgst -sha256 -verify ${PUBLIC_KEY_FILE} -signature sig.der "$REC.custody.json"     # Verified OK`,
])}</li>
<li>With read access to the archive, confirm what S3 says today about each stored version (version id, legal hold, retention):
${pre([
  `aws s3api head-object --bucket ${data.bucket} --key "<key>" --version-id "<S3 version>" --checksum-mode ENABLED`,
  `aws s3api get-object-legal-hold --bucket ${data.bucket} --key "<key>" --version-id "<S3 version>"`,
  `aws s3api get-object-retention --bucket ${data.bucket} --key "<key>" --version-id "<S3 version>"`,
])}
<code>${escapeHtml(VERIFICATION_FILE)}</code> holds every check made at production; <code>npm run verify -- --package &lt;folder&gt;</code> repeats them offline.</li>
</ol>`;
}

export function renderReport(data: ReportData): string {
  const ok = data.problems.length === 0;
  const scope = data.conversations ? `conversations ${data.conversations.join(", ")}` : "every conversation of the case";
  const failed = data.rows.filter((row) => !row.ok).length;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Custody report: case ${escapeHtml(data.caseId)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<div>
<h1>Chain-of-custody report</h1>
<div class="subtitle">Case <strong>${escapeHtml(data.caseId)}</strong> · ${escapeHtml(scope)} · ${escapeHtml(String(data.rows.length))} recording(s)</div>
</div>
<div class="verdict ${ok ? "good" : "bad"}">${ok ? "All recordings verified" : `${escapeHtml(String(data.problems.length))} problem(s) found${failed ? `, ${escapeHtml(String(failed))} recording(s) not verified` : ""}`}</div>
</header>

<section>
<h2>Production</h2>
<dl class="facts">
<dt>Case</dt><dd><code>${escapeHtml(data.caseId)}</code></dd>
<dt>Scope</dt><dd>${escapeHtml(scope)}</dd>
<dt>Produced by</dt><dd>${escapeHtml(data.producedBy)}</dd>
<dt>Produced at</dt><dd>${time(data.producedAt)}</dd>
<dt>Produced with</dt><dd>${escapeHtml(data.tool)}</dd>
<dt>Archive</dt><dd><code>s3://${escapeHtml(data.bucket)}</code> (S3, Object Lock: legal hold and COMPLIANCE retention)</dd>
<dt>Signing key</dt><dd>${data.keyIds.map((id) => `<code>${escapeHtml(id)}</code>`).join("<br>") || UNKNOWN} (ECDSA P-256, AWS KMS; public key from ${escapeHtml(data.keySource)})</dd>
<dt>Public key fingerprint</dt><dd><code>SHA-256:${escapeHtml(data.spkiSha256)}</code> (of its DER SubjectPublicKeyInfo, file <code>${escapeHtml(PUBLIC_KEY_FILE)}</code>)</dd>
<dt>Package</dt><dd>${escapeHtml(String(data.fileCount))} files (recordings and custody records: ${escapeHtml(humanBytes(data.totalBytes))}), listed with sizes and SHA-256 in <code>${escapeHtml(MANIFEST_FILE)}</code> and <code>${escapeHtml(SUMS_FILE)}</code></dd>
</dl>
</section>

<section>
<h2>Recordings</h2>
${recordingsTable(data.rows)}
<p class="muted">SHA-256 is the recording's fingerprint as the signed custody record states it and as recomputed from the file in this package. S3 version, legal hold and retention are what S3 answered at production.</p>
</section>

<section>
<h2>Problems found</h2>
${problemsSection(data.problems)}
</section>

<section>
<h2>How to re-verify this package independently</h2>
<p>No software from this project and no AWS access is needed for steps 1 to 5; standard tools only.</p>
${stepsSection(data)}
</section>

<section class="signoff">
<div>Reviewed by (name, role)</div><div>Signature</div><div>Date</div>
</section>

<footer>Report generated ${time(data.producedAt)} by ${escapeHtml(data.tool)}. This page is self-contained: no scripts, no external resources.</footer>
</body>
</html>
`;
}
