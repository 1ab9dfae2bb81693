import { ApiError } from "../errors.ts";

/**
 * Reads a request body as text, never holding more than `maxBytes`: a declared Content-Length over
 * the cap is refused before reading, and a chunked body (no length) or one that lies about its
 * length is counted while it streams and refused as soon as it passes the cap.
 */
export async function readCappedText(request: Request, maxBytes: number): Promise<string> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge(maxBytes);
  if (declared !== null && !request.headers.has("transfer-encoding")) {
    // Fast path: the HTTP server frames the body by its Content-Length (Node reads exactly that
    // many bytes), so it is at most `maxBytes`; runtimes that do not frame are caught by the check
    // below (a UTF-8 text never has more characters than bytes).
    const text = await request.text();
    if (text.length > Number(declared) || text.length > maxBytes) throw tooLarge(maxBytes);
    return text;
  }
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      void reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return decoder.decode(chunks[0]);
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return decoder.decode(all);
}

const decoder = new TextDecoder();

function tooLarge(maxBytes: number): ApiError {
  return new ApiError("payload_too_large", `request body over ${maxBytes} bytes`);
}
