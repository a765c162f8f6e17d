import { asDraft, type LearnerDraft } from "./draftShape.ts";

/**
 * The learner's edits in a link, with no server storage: the draft as JSON, deflated by the
 * browser's CompressionStream and base64url-encoded into the URL's fragment (never sent to the
 * server). A fragment past the cap is refused rather than made into a link that may not open.
 */
export const SHARE_PREFIX = "#code=";
export const MAX_SHARE_CHARS = 16_000;

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** The fragment for `draft`, or undefined when it would be longer than the cap. */
export async function shareFragment(draft: LearnerDraft): Promise<string | undefined> {
  const json = new TextEncoder().encode(JSON.stringify(draft));
  const fragment = SHARE_PREFIX + toBase64Url(await pipe(json, new CompressionStream("deflate-raw")));
  return fragment.length <= MAX_SHARE_CHARS ? fragment : undefined;
}

/** The draft a fragment carries; undefined for any other fragment or a damaged one. */
export async function draftFromFragment(hash: string): Promise<LearnerDraft | undefined> {
  if (!hash.startsWith(SHARE_PREFIX) || hash.length > MAX_SHARE_CHARS) return undefined;
  try {
    const bytes = await pipe(
      fromBase64Url(hash.slice(SHARE_PREFIX.length)),
      new DecompressionStream("deflate-raw"),
    );
    return asDraft(JSON.parse(new TextDecoder().decode(bytes)));
  } catch {
    return undefined;
  }
}
