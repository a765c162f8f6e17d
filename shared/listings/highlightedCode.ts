/**
 * Syntax highlighting worked out at build time (build/highlightCode.ts), so the page ships no
 * tokenizer and runs none: each line is a list of [kind, length] pairs over that line's text, a
 * kind being one class name and inline style of the theme. A length of -1 stands for
 * prism-react-renderer's token of an empty line, whose content is "\n".
 */
export type TokenStyle = Readonly<Record<string, string | number>>;
export type TokenKind = { className: string; style?: TokenStyle };
export type EncodedHighlight = { kinds: TokenKind[]; lines: number[][] };
export type HighlightedToken = { className: string; style?: TokenStyle; content: string; empty?: boolean };

/** Lines of the code as the highlighter saw them: without the file's final newline. */
export function codeLines(code: string): string[] {
  return code.replace(/\n$/, "").split("\n");
}

export function decodeHighlight(code: string, encoded: EncodedHighlight): HighlightedToken[][] {
  const texts = codeLines(code);
  return encoded.lines.map((pairs, index) => {
    const text = texts[index] ?? "";
    const tokens: HighlightedToken[] = [];
    let at = 0;
    for (let k = 0; k + 1 < pairs.length; k += 2) {
      const kind = encoded.kinds[pairs[k] as number] ?? { className: "token plain" };
      const length = pairs[k + 1] as number;
      if (length < 0) {
        tokens.push({ ...kind, content: "\n", empty: true });
        continue;
      }
      tokens.push({ ...kind, content: text.slice(at, at + length) });
      at += length;
    }
    return tokens;
  });
}
