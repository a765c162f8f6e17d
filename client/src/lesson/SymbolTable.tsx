import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { KERNEL_SYMBOLS } from "../../../shared/content/kernelSymbols.ts";
import { currentLanguage } from "../i18n/i18n.ts";
import { SourceLinks } from "./SourceLinks.tsx";
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
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);
  const status = (symbol: (typeof KERNEL_SYMBOLS)[number]) => (
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
        {KERNEL_SYMBOLS.map((symbol) => (
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
      <dialog
        ref={dialog}
        className="symbol-table-dialog"
        aria-labelledby="symbol-table-title"
        onClose={() => setOpen(false)}
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
              {KERNEL_SYMBOLS.map((symbol) => (
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
      </dialog>
    </section>
  );
}
