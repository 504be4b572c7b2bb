/**
 * A first look at POSTs to pages (server actions) before Next.js decodes them: forged or oversized
 * payloads get 400 or 413 here instead of a 500 from deep inside the decoder (issue 12).
 *
 * Every action Washboard has takes the submitted form (`(formData)` or `(previousState,
 * formData)`). With a `Next-Action` header, React sends the arguments as a JSON array whose last
 * one is that form (`"$K…"`): as the multipart form's root field "0" (each part it refers to
 * present), or as a plain-text body; a form with no fields (the header's Sign out) sends `[]`. A form
 * posted without JavaScript is a readable multipart form.
 */
export type ActionRequestProblem = { status: 400 | 413; message: string };

/** Matches Next's `serverActions.bodySizeLimit` in next.config.ts. */
export const ACTION_BODY_LIMIT_BYTES = 100 * 1024;

const NOT_OURS: ActionRequestProblem = { status: 400, message: 'This request is not one Washboard sends.' };
const TOO_LARGE: ActionRequestProblem = { status: 413, message: 'This request is too large.' };

/** React's reply encoding: `$@1` (promise), `$Q1` (Map), `$W1` (Set), `$i1`, `$R1`, `$r1`, `$X1`, `$x1`, `$B1`, `$1`: parts by hex id. */
const PART_REFERENCE = /^\$(?:[@QWiRrXxB])?([0-9a-f]+)$/;

function referencesMissingPart(value: unknown, form: FormData, depth = 0): boolean {
  if (depth > 64) return true;
  if (typeof value === 'string') {
    const ref = PART_REFERENCE.exec(value);
    return ref !== null && !form.has(String(Number.parseInt(ref[1]!, 16)));
  }
  if (Array.isArray(value)) return value.some((v) => referencesMissingPart(v, form, depth + 1));
  if (value && typeof value === 'object') return Object.values(value).some((v) => referencesMissingPart(v, form, depth + 1));
  return false;
}

export async function checkActionRequest(request: Request, limit = ACTION_BODY_LIMIT_BYTES): Promise<ActionRequestProblem | null> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) return TOO_LARGE;
  const hasActionHeader = request.headers.has('next-action');
  const type = request.headers.get('content-type') ?? '';
  const multipart = type.startsWith('multipart/form-data');
  const plain = type.startsWith('text/plain');
  if (!multipart && !(plain && hasActionHeader)) return hasActionHeader ? NOT_OURS : null;

  const body = await request.clone().arrayBuffer();
  if (body.byteLength > limit) return TOO_LARGE;
  let form = new FormData();
  let root: FormDataEntryValue | null;
  if (multipart) {
    try {
      form = await new Response(body, { headers: { 'content-type': type } }).formData();
    } catch {
      return NOT_OURS;
    }
    if (!hasActionHeader) return null;
    root = form.get('0');
  } else {
    root = new TextDecoder().decode(body);
  }
  if (typeof root !== 'string') return NOT_OURS;
  let args: unknown;
  try {
    args = JSON.parse(root);
  } catch {
    return NOT_OURS;
  }
  if (!Array.isArray(args) || args.length > 2) return NOT_OURS;
  // No arguments at all: a form with no fields (the header's Sign out) is sent as `[]`.
  const last = args.at(-1) ?? '$K0';
  if (typeof last !== 'string' || !/^\$K[0-9a-f]+$/.test(last)) return NOT_OURS;
  if (referencesMissingPart(args, form)) return NOT_OURS;
  return null;
}
