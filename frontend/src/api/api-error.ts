/** An error answered by the API in its `{"error": {"code", "message"}}` envelope (or a network failure). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
  }
}

type Envelope = { error?: { code?: unknown; message?: unknown } };

export function toApiError(status: number, body: unknown): ApiError {
  const envelope = (body ?? {}) as Envelope;
  const code = typeof envelope.error?.code === "string" ? envelope.error.code : "unknown";
  const message = typeof envelope.error?.message === "string" ? envelope.error.message : "";
  return new ApiError(status, code, message);
}

type FetchResult<T> = { data?: T; error?: unknown; response: Response };

/** Turns an openapi-fetch result into its data, or throws the API's error. */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await call;
  } catch (cause) {
    throw new ApiError(0, "network_error", cause instanceof Error ? cause.message : String(cause));
  }
  if (!result.response.ok) throw toApiError(result.response.status, result.error);
  return result.data as T;
}
