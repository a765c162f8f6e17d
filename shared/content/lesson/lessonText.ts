import type { LessonStepId } from "./lessonSteps.ts";

/**
 * A lesson step's words in one language. Text may hold `code` in backticks and the placeholder
 * {{port}} (the session's lab port); a paragraph given as a list of strings is a bulleted list.
 */
export type Paragraph = string | readonly string[];

export type StepText = {
  readonly title: string;
  readonly body: readonly Paragraph[];
  /** What the learner does now, when the step has a task. */
  readonly task?: string;
};

/** Every step's text in one language: the type makes a missing step a build error. */
export type LessonText = { readonly [id in LessonStepId]: StepText };
