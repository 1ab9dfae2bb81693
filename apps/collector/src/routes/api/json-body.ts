import * as v from "valibot";
import { ApiError } from "../../errors.ts";
import { readCappedText } from "../../ingest/body.ts";
import { issueReason } from "../../validation.ts";

/**
 * A REST call's JSON body checked against `schema`: over `maxBytes` is 413, unparsable JSON or a
 * schema miss is 400 naming the first bad field. Nothing is read beyond the cap.
 */
export async function readJsonBody<const S extends v.GenericSchema>(
  request: Request,
  schema: S,
  maxBytes = 16 * 1024,
): Promise<v.InferOutput<S>> {
  let json: unknown;
  try {
    json = JSON.parse(await readCappedText(request, maxBytes));
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError("bad_request", "body is not valid JSON");
  }
  const parsed = v.safeParse(schema, json);
  if (!parsed.success) throw new ApiError("bad_request", issueReason(parsed.issues, "body"));
  return parsed.output;
}
