/**
 * Everything that can go wrong talking to Genesys Cloud. `retryable` tells the
 * worker whether redelivering the queue message can succeed (rate limits,
 * outages, transcoding still running) or whether a person must act first
 * (a missing permission, an unknown conversation, the protection limit).
 * Messages never carry tokens, client secrets or media URI query strings.
 */

export interface GenesysErrorOptions extends ErrorOptions {
  /** HTTP status Genesys answered with, when there was an answer. */
  status?: number;
}

export class GenesysError extends Error {
  readonly status: number | undefined;
  readonly retryable: boolean = false;

  constructor(message: string, options?: GenesysErrorOptions) {
    super(message, options);
    this.name = "GenesysError";
    this.status = options?.status;
  }
}

/** The client credentials were refused, or a fresh token was refused again (401). */
export class GenesysAuthError extends GenesysError {
  constructor(message: string, options?: GenesysErrorOptions) {
    super(message, options);
    this.name = "GenesysAuthError";
  }
}

/** 403: the OAuth client's role lacks `permission`; grant it in Genesys. */
export class GenesysPermissionError extends GenesysError {
  constructor(
    readonly operation: string,
    readonly permission: string,
    options?: GenesysErrorOptions,
  ) {
    super(`Genesys refused ${operation} (403): the OAuth client's role needs the permission ${permission}`, { status: 403, ...options });
    this.name = "GenesysPermissionError";
  }
}

/** 404: the conversation or recording does not exist (or is not visible in the client's divisions). */
export class GenesysNotFoundError extends GenesysError {
  constructor(
    readonly operation: string,
    options?: GenesysErrorOptions,
  ) {
    super(`Genesys found nothing for ${operation} (404)`, { status: 404, ...options });
    this.name = "GenesysNotFoundError";
  }
}

/** 429 beyond the retry budget: try again later. */
export class GenesysRateLimitError extends GenesysError {
  override readonly retryable = true;

  constructor(message: string, options?: GenesysErrorOptions) {
    super(message, { status: 429, ...options });
    this.name = "GenesysRateLimitError";
  }
}

/** 5xx, a timeout or a network failure beyond the retry budget: try again later. */
export class GenesysServerError extends GenesysError {
  override readonly retryable = true;

  constructor(message: string, options?: GenesysErrorOptions) {
    super(message, options);
    this.name = "GenesysServerError";
  }
}

/** The media host refused or failed a download (signed URIs expire); a redelivery asks Genesys for a fresh URI. */
export class GenesysMediaError extends GenesysError {
  override readonly retryable = true;

  constructor(message: string, options?: GenesysErrorOptions) {
    super(message, options);
    this.name = "GenesysMediaError";
  }
}

/** Genesys still answered 202 (transcoding) after the poll bound: the message must be retried later, not failed. */
export class TranscodeNotReadyError extends GenesysError {
  override readonly retryable = true;

  constructor(
    readonly conversationId: string,
    readonly recordingId: string | undefined,
    readonly attempts: number,
  ) {
    const what = recordingId ? `recording ${recordingId}` : "the recordings";
    super(`Genesys is still preparing ${what} of conversation ${conversationId} after ${attempts} polls; retry later`, { status: 202 });
    this.name = "TranscodeNotReadyError";
  }
}

/** The organization already protects the maximum of 1000 conversations; someone must revoke protection first. */
export class DeletionProtectionLimitError extends GenesysError {
  constructor(
    readonly conversationId: string,
    readonly detail: string,
    options?: GenesysErrorOptions,
  ) {
    super(
      `Genesys cannot protect conversation ${conversationId} from deletion: the organization's limit of 1000 protected conversations is reached (${detail}); revoke protection from conversations whose matter has closed (PUT /api/v2/recordings/deletionprotection?protect=false), then redrive this job from the dead-letter queue`,
      options,
    );
    this.name = "DeletionProtectionLimitError";
  }
}
