import { normalizeTokens, Prism, type PrismTheme, themes } from "prism-react-renderer";
import {
  codeLines,
  decodeHighlight,
  type EncodedHighlight,
  type TokenKind,
  type TokenStyle,
} from "../shared/listings/highlightedCode.ts";

/** The theme the listings are shown in (client/src/listing/Listing.tsx's classes style the rest). */
const THEME = themes.oneLight;

type Dictionary = Record<string, TokenStyle | undefined>;

/** prism-react-renderer's themeToDict: each token type's style, language-specific entries applied. */
function themeDictionary(theme: PrismTheme, language: string): Dictionary {
  const dict: Record<string, Record<string, string | number>> = {};
  for (const entry of theme.styles) {
    if (entry.languages && !entry.languages.includes(language)) continue;
    for (const type of entry.types)
      dict[type] = { ...dict[type], ...(entry.style as Record<string, string | number>) };
  }
  const { backgroundColor: _background, ...plain } = theme.plain as Record<string, string | number>;
  return { ...dict, root: theme.plain as TokenStyle, plain };
}

/** prism-react-renderer's getTokenProps: "token <types…>" and the style its theme gives them. */
function tokenKind(types: readonly string[], empty: boolean, dict: Dictionary): TokenKind {
  const className = ["token", ...types].join(" ");
  if (types.length === 1 && types[0] === "plain")
    return empty ? { className, style: { display: "inline-block" } } : { className };
  if (types.length === 1 && empty) return { className, style: dict[types[0] as string] };
  return {
    className,
    style: Object.assign(empty ? { display: "inline-block" } : {}, ...types.map((type) => dict[type])),
  };
}

/**
 * Tokenizes a listing with the Prism build prism-react-renderer ships, as its Highlight component
 * would in the browser, and encodes the result (shared/listings/highlightedCode.ts). Decoding it back must
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
  const dict = themeDictionary(THEME, language);
  const kinds: TokenKind[] = [];
  const kindIndex = new Map<string, number>();
  const lines = normalizeTokens(env.tokens).map((tokens) =>
    tokens.flatMap((token) => {
      const kind = tokenKind(token.types, token.empty === true, dict);
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
