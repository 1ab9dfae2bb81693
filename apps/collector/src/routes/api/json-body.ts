import * as v from "valibot";
import { ApiError } from "../../errors.ts";
import { readCappedText } from "../../ingest/body.ts";
import { parseJsonBody } from "../../ingest/parse-json.ts";
import { issueReason } from "../../validation.ts";

/**
 * A REST call's JSON body checked against `schema`: over `maxBytes` is 413, unparsable JSON or a
 * schema miss is 400 naming the first bad field; nesting is bounded and strings made well-formed
 * (parseJsonBody). Nothing is read beyond the cap.
 */
export async function readJsonBody<const S extends v.GenericSchema>(
  request: Request,
  schema: S,
  maxBytes = 16 * 1024,
): Promise<v.InferOutput<S>> {
  const json = parseJsonBody(await readCappedText(request, maxBytes));
  const parsed = v.safeParse(schema, json);
  if (!parsed.success) throw new ApiError("bad_request", issueReason(parsed.issues, "body"));
  return parsed.output;
}
