import { useTranslation } from "react-i18next";
import { KERNEL_SYMBOLS } from "../../../shared/content/kernelSymbols.ts";
import { currentLanguage } from "../i18n/i18n.ts";
import { SourceLinks } from "./SourceLinks.tsx";

/** The fifteen exported symbols: kernel symbol · user-space call · Node call · status, each row with its sources. */
export function SymbolTable() {
  const { t, i18n } = useTranslation();
  const language = currentLanguage(i18n.language);
  return (
    <div className="symbol-table-scroll">
      <table className="symbol-table">
        <caption>{t("lesson.symbols.caption")}</caption>
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
              <td>
                {symbol.signature6x === null ? <strong>{t("lesson.symbols.removed")}: </strong> : null}
                {symbol.status[language]}
              </td>
              <td>
                <SourceLinks sources={symbol.sources} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
