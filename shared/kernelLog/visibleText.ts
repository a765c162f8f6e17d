/**
 * Text bound for the printk pane made inert: every control character but the newline is shown in
 * caret notation (ESC → "^[", CR → "^M", DEL → "^?") and the C1 controls (U+0080–U+009F, which a
 * terminal reads as ESC sequences too: U+009B is CSI) as \xNN. The lab's own printk records are
 * already so (caretNotation, printk.ts); this holds for any text, from a live lab or an opened run
 * file alike, so no file can clear the pane, colour a forged line or plant an OSC 8 link.
 */
export function visibleText(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    if (code === 0x7f) return "^?";
    if (code < 0x20) return `^${String.fromCharCode(code + 0x40)}`;
    return `\\x${code.toString(16)}`;
  });
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/g;
