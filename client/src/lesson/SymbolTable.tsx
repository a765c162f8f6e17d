import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { KernelSymbol } from "../../../shared/content/kernelSymbols.ts";
import { ModalDialog } from "../controls/ModalDialog.tsx";
import { currentLanguage } from "../i18n/i18n.ts";
import { SourceLinks } from "./SourceLinks.tsx";
import { useKernelContent } from "./useKernelContent.ts";
import "./symbolTable.css";

/**
 * The fifteen exported symbols: kernel symbol · user-space call · Node call · status · sources. The
 * lesson column is too narrow for five columns, so there each symbol is a short list of its own;
 * the table itself opens full width in a dialog, where it reads without a sideways scroll.
 */
export function SymbolTable() {
  const { t, i18n } = useTranslation();
  const language = currentLanguage(i18n.language);
  const [open, setOpen] = useState(false);
  // The symbols come a moment after the first paint (useKernelContent.ts).
  const symbols = useKernelContent()?.KERNEL_SYMBOLS ?? [];
  const status = (symbol: KernelSymbol) => (
    <>
      {symbol.signature6x === null ? <strong>{t("lesson.symbols.removed")}: </strong> : null}
      {symbol.status[language]}
    </>
  );
  return (
    <section className="symbol-table-block" aria-label={t("lesson.symbols.caption")}>
      <p className="symbol-list-caption">
        <strong>{t("lesson.symbols.caption")}</strong>{" "}
        <button type="button" aria-haspopup="dialog" onClick={() => setOpen(true)}>
          {t("lesson.symbols.open")}
        </button>
      </p>
      <ul className="symbol-list">
        {symbols.map((symbol) => (
          <li key={symbol.symbol}>
            <code className="symbol-name">{symbol.symbol}</code>
            <dl>
              <dt>{t("lesson.symbols.syscall")}</dt>
              <dd>{symbol.syscall}</dd>
              <dt>{t("lesson.symbols.node")}</dt>
              <dd>
                <code>{symbol.node}</code>
              </dd>
              <dt>{t("lesson.symbols.status")}</dt>
              <dd>{status(symbol)}</dd>
            </dl>
            <details>
              <summary>{t("lesson.symbols.sources")}</summary>
              <SourceLinks sources={symbol.sources} />
            </details>
          </li>
        ))}
      </ul>
      <ModalDialog
        open={open}
        onClose={() => setOpen(false)}
        className="symbol-table-dialog"
        titleId="symbol-table-title"
      >
        <div className="symbol-table-dialog-head">
          <h2 id="symbol-table-title">{t("lesson.symbols.caption")}</h2>
          <button type="button" onClick={() => setOpen(false)}>
            {t("shortcuts.close")}
          </button>
        </div>
        {open ? (
          <table className="symbol-table">
            <thead>
              <tr>
                <th scope="col">{t("lesson.symbols.symbol")}</th>
                <th scope="col">{t("lesson.symbols.syscall")}</th>
                <th scope="col">{t("lesson.symbols.node")}</th>
                <th scope="col">{t("lesson.symbols.status")}</th>
                <th scope="col">{t("lesson.symbols.sources")}</th>
              </tr>
            </thead>
            <tbody>
              {symbols.map((symbol) => (
                <tr key={symbol.symbol}>
                  <th scope="row">
                    <code>{symbol.symbol}</code>
                  </th>
                  <td>{symbol.syscall}</td>
                  <td>
                    <code>{symbol.node}</code>
                  </td>
                  <td>{status(symbol)}</td>
                  <td>
                    <SourceLinks sources={symbol.sources} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </ModalDialog>
    </section>
  );
}
