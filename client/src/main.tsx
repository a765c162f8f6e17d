import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.tsx";
import { initI18n } from "./i18n/i18n.ts";
import { preconnect } from "./connection/labConnection.ts";
import "./theme/tokens.css";
import "./theme/syntax.css";
import "./styles.css";
import "./lesson/walkthrough.css";
import { applyTheme } from "./theme/theme.ts";

const root = document.getElementById("root");
if (!root) throw new Error("#root is missing from index.html");
preconnect();
// Before the first paint, so a dark page never flashes light.
applyTheme();
// The language's strings arrive first (a chunk per language), so the first paint is already translated.
void initI18n().then(() =>
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
