import type { ReactNode } from "react";
import type { Paragraph } from "../../../shared/content/lesson/lessonText.ts";

/** Fills {{port}} and turns `backticked` spans into <code>. */
export function inlineText(text: string, port: number | undefined): ReactNode[] {
  const filled = text.replaceAll("{{port}}", port === undefined ? "…" : String(port));
  // Even pieces are prose, odd pieces were between backticks; a piece's index is its identity.
  // biome-ignore lint/suspicious/noArrayIndexKey: see above
  return filled.split("`").map((piece, i) => (i % 2 === 1 ? <code key={i}>{piece}</code> : piece));
}

export type LessonProseProps = { body: readonly Paragraph[]; port: number | undefined };

/** A step's body: paragraphs, and bulleted lists where the text gives a list. */
export function LessonProse({ body, port }: LessonProseProps) {
  return (
    <div className="lesson-prose">
      {body.map((paragraph) =>
        typeof paragraph === "string" ? (
          <p key={paragraph}>{inlineText(paragraph, port)}</p>
        ) : (
          <ul key={paragraph.join("\n")}>
            {paragraph.map((item) => (
              <li key={item}>{inlineText(item, port)}</li>
            ))}
          </ul>
        ),
      )}
    </div>
  );
}
