import { LESSON_EN } from "../../../shared/lesson/text.en.ts";
import type { Locale } from "./locale.ts";

/** The interface in English. The state words are the ones the e2e tests and the README quote. */
export const UI_EN = {
  app: {
    title: "Kernel Socket Lab",
    connected: "connected",
    connecting: "connecting…",
    closed: "disconnected — reload to start a new lab",
    port: " · your lab uses port {{port}}",
    portTaken: "; {{port}} is in use",
  },
  language: { label: "Language", en: "English", zh: "中文" },
  module: {
    server: { title: "Server module", name: "server", region: "server module" },
    client: { title: "Client module", name: "client", region: "client module" },
    start: "Start {{name}}",
    stop: "Stop {{name}}",
    stepError: "{{step}} returned {{result}} ({{errno}})",
  },
  state: {
    unloaded: "not loaded",
    live: "loaded",
    running: "running",
    failed: "failed ({{result}})",
    paused: "running — paused before {{step}}",
    blocked: "running — blocked in {{step}}",
  },
  notices: { dismiss: "Dismiss" },
  terminal: { title: "printk — kernel log (dmesg)" },
  toolbar: { label: "Lab controls" },
  stepMode: {
    switch: "Step mode",
    hint: "Each kernel call waits for you",
    step: "Step {{name}}",
    continue: "Continue {{name}}",
    next: "next: {{step}}, line {{line}}",
    idle: "not in a kernel call",
  },
  pace: {
    label: "Display speed",
    slow: "Slow (1 s per call)",
    normal: "Human (250 ms per call)",
    fast: "Fast (60 ms per call)",
    instant: "Instant",
  },
  lesson: {
    region: "Lesson",
    progress: "Step {{n}} of {{total}}",
    next: "Next",
    back: "Back",
    yourTurn: "Your turn",
    waiting: "Waiting for you to do it…",
    done: "Done — on to the next step.",
    sources: "Sources ({{count}})",
    allSteps: "All steps",
    symbols: {
      caption: "The fifteen symbols net/socket.c exported, as listed in the post, and their status",
      symbol: "Kernel symbol",
      syscall: "User-space call",
      node: "Node call in the lab",
      status: "Status (checked in v6.1 unless the row says otherwise)",
      sources: "Sources",
      removed: "not in v6.1",
    },
  },
  timeline: {
    region: "Timeline",
    slider: "Moment in the session",
    empty: "Nothing has happened yet: start a module.",
    live: "Back to live",
    showing: "Showing event {{n}} of {{total}}",
    showingLive: "Showing the live lab ({{total}} events)",
    pastBanner:
      "Viewing the past — event {{n}} of {{total}}. The sockets are still where they are now: nothing was undone, and Start / Stop act on the live lab.",
    atThatMoment: "At that moment",
    event: {
      enter: "{{module}} enters {{step}}",
      exit: "{{module}}: {{step}} returned {{result}}",
      exitVoid: "{{module}}: {{step}} returned",
      waiting: "{{module}} paused before {{step}}",
      printk: "{{source}} printk: {{text}}",
      console: "shell: {{text}}",
      state: "{{module}} module: {{state}}",
      oops: "kernel oops",
    },
    stateNames: { unloaded: "unloaded", loading: "loading", live: "live", failed: "failed" },
  },
  shortcuts: {
    open: "Keyboard shortcuts",
    title: "Keyboard shortcuts",
    close: "Close",
    next: "Next lesson step",
    back: "Previous lesson step",
    help: "Show this list",
    tab: "Move between controls (every button, the speed list and the timeline)",
    press: "Press the focused button",
    slider: "On the timeline slider: move one event back or forward",
    escape: "Close this dialog",
    note: "← and → are not taken over while you are in a text field, a list or the slider.",
  },
};

export type UiText = typeof UI_EN;

export const EN: Locale = { ui: UI_EN, lesson: LESSON_EN };
