import type { ClientErrorCode } from "@/api/types";

/**
 * An error answered by the API in its `{"error": {"code", "message", "detail"}}` envelope (or a
 * network failure). `message` is in the caller's language; `detail` the server's specifics, in English;
 * `envelope` everything the error said, for the codes that say more (`plan_limit`: the limit, the usage).
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly envelope: Readonly<Record<string, unknown>>;

  constructor(status: number, code: string, message: string, detail = message, envelope: Readonly<Record<string, unknown>> = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.envelope = envelope;
  }
}

type Envelope = { error?: { code?: unknown; message?: unknown; detail?: unknown } & Record<string, unknown> };

export function toApiError(status: number, body: unknown): ApiError {
  const envelope = (body && typeof body === "object" ? body : {}) as Envelope;
  const code = typeof envelope.error?.code === "string" ? envelope.error.code : "unknown";
  const message = typeof envelope.error?.message === "string" ? envelope.error.message : "";
  // An English answer's message is its detail; other languages carry it on its own.
  const detail = typeof envelope.error?.detail === "string" ? envelope.error.detail : message;
  return new ApiError(status, code, message, detail, envelope.error && typeof envelope.error === "object" ? envelope.error : {});
}

type FetchResult<T> = { data?: T; error?: unknown; response: Response };

/** Turns an openapi-fetch result into its data, or throws the API's error. */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await call;
  } catch (cause) {
    const code: ClientErrorCode = "network_error";
    throw new ApiError(0, code, cause instanceof Error ? cause.message : String(cause));
  }
  if (!result.response.ok) throw toApiError(result.response.status, result.error);
  return result.data as T;
}
