// First, before any schema parses a frame: see the file for why.
import "./app/cspSafeZod.ts";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.tsx";
import { initI18n } from "./i18n/i18n.ts";
import { preconnect } from "./connection/labConnection.ts";
import "./styles.css";
import "./lesson/walkthrough.css";

const root = document.getElementById("root");
if (!root) throw new Error("#root is missing from index.html");
preconnect();
// The language's strings arrive first (a chunk per language), so the first paint is already translated.
void initI18n().then(() =>
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
