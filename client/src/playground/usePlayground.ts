import { useCallback, useEffect, useRef, useState } from "react";
import {
  type BuildDiagnostic,
  MAX_LEARNER_SOURCE_BYTES,
} from "../../../shared/protocol/learnerBuildMessages.ts";
import type { ServerEventOf } from "../../../shared/protocol/messages.ts";
import type { ModuleName, Variant } from "../../../shared/protocol/steps.ts";
import type { LabConnection } from "../connection/labConnection.ts";
import { draftText, type LearnerDraft, loadDraft, saveDraft, startingText } from "./learnerDraft.ts";
import { draftFromFragment, shareFragment } from "./shareLink.ts";

export type PlaygroundState = {
  draft: LearnerDraft;
  module: ModuleName;
  selectModule: (module: ModuleName) => void;
  edit: (text: string) => void;
  setBase: (base: Variant) => void;
  revert: () => void;
  build: () => void;
  /** A build was sent and has not ended. */
  pending: boolean;
  /** The latest turn of this page's latest build (older builds' answers are ignored). */
  status?: ServerEventOf<"learner.build">;
  /** Why the page did not send the build (too long a source). */
  refused?: string;
  diagnosticsOf: (module: ModuleName) => readonly BuildDiagnostic[];
  /** Puts the draft into the URL's fragment and copies the link. */
  share: () => void;
  shared?: "copied" | "in-address-bar" | "too-long" | "opened";
  /** Takes the C an opened run file carries. */
  adopt: (draft: LearnerDraft) => void;
  /**
   * The build Start runs for a module on the real kernel with `variant` picked: this page's latest
   * successful build, when the learner edited that module in it and started from that listing;
   * undefined: the shipped listing (picking the other listing runs the shipped one).
   */
  buildFor: (module: ModuleName, variant: Variant) => number | undefined;
  /** The C of a build this page sent (the listing a module loaded from it shows). */
  sourceOf: (buildId: number, module: ModuleName) => string | undefined;
};

type SentBuild = { base: Variant; sources: Record<ModuleName, string> };

const NO_DIAGNOSTICS: readonly BuildDiagnostic[] = [];

export function usePlayground(
  connection: LabConnection | null,
  latest: ServerEventOf<"learner.build"> | undefined,
): PlaygroundState {
  const [draft, setDraft] = useState<LearnerDraft>(loadDraft);
  const [module, selectModule] = useState<ModuleName>("server");
  const [refused, setRefused] = useState<string>();
  const counter = useRef(0);
  const [lastId, setLastId] = useState<number | null>(null);
  // The C of each build this page sent, by id (a page sends a handful; a reload starts afresh).
  const sent = useRef(new Map<number, SentBuild>());
  const [lastBuilt, setLastBuilt] = useState<number>();
  useEffect(() => saveDraft(draft), [draft]);
  const [shared, setShared] = useState<"copied" | "in-address-bar" | "too-long" | "opened">();
  // A share link's C replaces the draft once, when the page opens with it.
  useEffect(() => {
    let live = true;
    draftFromFragment(location.hash).then((fromLink) => {
      if (!live || !fromLink) return;
      setDraft(fromLink);
      setShared("opened");
    });
    return () => {
      live = false;
    };
  }, []);
  const adopt = useCallback((fromFile: LearnerDraft) => setDraft(fromFile), []);
  const share = useCallback(async () => {
    const fragment = await shareFragment(draft);
    if (!fragment) return setShared("too-long");
    const url = new URL(location.href);
    url.hash = fragment;
    history.replaceState(history.state, "", url);
    try {
      await navigator.clipboard.writeText(url.href);
      setShared("copied");
    } catch {
      setShared("in-address-bar");
    }
  }, [draft]);

  const edit = useCallback(
    (text: string) => setDraft((d) => ({ ...d, edits: { ...d.edits, [module]: text } })),
    [module],
  );
  const setBase = useCallback((base: Variant) => setDraft((d) => ({ ...d, base })), []);
  const revert = useCallback(
    () =>
      setDraft((d) => {
        const edits = { ...d.edits };
        delete edits[module];
        return { ...d, edits };
      }),
    [module],
  );
  const build = useCallback(() => {
    const sources = { server: draftText(draft, "server"), client: draftText(draft, "client") };
    const tooLong = (["server", "client"] as const).find(
      (m) => new TextEncoder().encode(sources[m]).length > MAX_LEARNER_SOURCE_BYTES,
    );
    if (tooLong) {
      setRefused(`${tooLong}.c is longer than ${MAX_LEARNER_SOURCE_BYTES / 1024} KiB: not sent.`);
      return;
    }
    setRefused(undefined);
    if (!connection) return;
    counter.current += 1;
    const buildId = counter.current;
    setLastId(buildId);
    sent.current.set(buildId, { base: draft.base, sources });
    connection.send({ type: "learner.build", buildId, base: draft.base, sources });
  }, [connection, draft]);

  const status = latest && latest.buildId === lastId ? latest : undefined;
  if (status?.status === "built" && lastBuilt !== status.buildId) setLastBuilt(status.buildId);
  const buildFor = useCallback(
    (m: ModuleName, variant: Variant) => {
      const built = lastBuilt === undefined ? undefined : sent.current.get(lastBuilt);
      if (!built || built.base !== variant || built.sources[m] === startingText(built.base, m))
        return undefined;
      return lastBuilt;
    },
    [lastBuilt],
  );
  const sourceOf = useCallback((buildId: number, m: ModuleName) => sent.current.get(buildId)?.sources[m], []);
  // From the press until its answer: a second press would only be refused as busy.
  const pending = lastId !== null && (!status || status.status === "queued" || status.status === "building");
  const diagnosticsOf = useCallback(
    (m: ModuleName) => status?.diagnostics?.filter((d) => d.module === m) ?? NO_DIAGNOSTICS,
    [status],
  );
  return {
    draft,
    module,
    selectModule,
    edit,
    setBase,
    revert,
    build,
    pending,
    status,
    refused,
    diagnosticsOf,
    share,
    shared,
    adopt,
    buildFor,
    sourceOf,
  };
}
