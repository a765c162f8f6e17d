import type { LessonText } from "../../../../shared/content/lesson/lessonText.ts";
import type { UiText } from "./en.ts";

/** One language's chunk: the interface's words and the lesson. */
export type Locale = { readonly ui: UiText; readonly lesson: LessonText };
