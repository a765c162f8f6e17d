import { normalizeTokens, Prism } from "prism-react-renderer";
import {
  codeLines,
  decodeHighlight,
  type EncodedHighlight,
  type TokenKind,
} from "../shared/listings/highlightedCode.ts";

/**
 * Each token carries its Prism types as class names only: the colours come from the page's
 * stylesheet (client/src/theme/syntax.css), one palette per theme, each checked for contrast.
 * An empty line's token keeps its inline-block, so the line keeps its height.
 */
function tokenKind(types: readonly string[], empty: boolean): TokenKind {
  const className = ["token", ...types].join(" ");
  return empty ? { className, style: { display: "inline-block" } } : { className };
}

/**
 * Tokenizes a listing with the Prism build prism-react-renderer ships, as its Highlight component
 * would in the browser, and encodes the result (shared/highlightedCode.ts). Decoding it back must
 * give every token's text: a listing that does not round-trip fails the build.
 */
export function encodeHighlight(code: string, language: "c" | "typescript"): EncodedHighlight {
  const grammar = Prism.languages[language];
  if (!grammar) throw new Error(`Prism has no ${language} grammar`);
  const text = codeLines(code).join("\n");
  const env: {
    code: string;
    grammar: typeof grammar;
    language: string;
    tokens: ReturnType<typeof Prism.tokenize>;
  } = {
    code: text,
    grammar,
    language,
    tokens: [],
  };
  Prism.hooks.run("before-tokenize", env);
  env.tokens = Prism.tokenize(text, grammar);
  Prism.hooks.run("after-tokenize", env);
  const kinds: TokenKind[] = [];
  const kindIndex = new Map<string, number>();
  const lines = normalizeTokens(env.tokens).map((tokens) =>
    tokens.flatMap((token) => {
      const kind = tokenKind(token.types, token.empty === true);
      const key = JSON.stringify(kind);
      let index = kindIndex.get(key);
      if (index === undefined) {
        index = kinds.length;
        kinds.push(kind);
        kindIndex.set(key, index);
      }
      return [index, token.empty ? -1 : token.content.length];
    }),
  );
  const encoded = { kinds, lines };
  const decoded = decodeHighlight(code, encoded);
  const original = normalizeTokens(env.tokens);
  if (
    decoded.length !== original.length ||
    decoded.some(
      (line, i) => line.map((t) => t.content).join("") !== original[i]?.map((t) => t.content).join(""),
    )
  ) {
    throw new Error(`the ${language} highlighting does not round-trip`);
  }
  return encoded;
}
