/** A text the lab shows in both of its languages, and a place a fact was checked (label + link). */
export type Source = { readonly label: string; readonly url: string };
export type Bilingual = { readonly en: string; readonly zh: string };
