import { useTranslation } from "react-i18next";
import { ModalDialog } from "./ModalDialog.tsx";

export type ShortcutsDialogProps = { open: boolean; onClose: () => void };

/** The keyboard shortcuts, in a modal dialog. */
export function ShortcutsDialog({ open, onClose }: ShortcutsDialogProps) {
  const { t } = useTranslation();
  const rows: [string, string][] = [
    ["→", t("shortcuts.next")],
    ["←", t("shortcuts.back")],
    ["?", t("shortcuts.help")],
    [",", t("shortcuts.stepBack")],
    [".", t("shortcuts.stepForward")],
    ["L", t("shortcuts.live")],
    ["M", t("shortcuts.maximise")],
    ["F", t("shortcuts.focusNext")],
    ["Tab / Shift+Tab", t("shortcuts.tab")],
    ["Enter / Space", t("shortcuts.press")],
    ["← → Home End", t("shortcuts.slider")],
    ["Esc", t("shortcuts.escape")],
  ];
  return (
    <ModalDialog open={open} onClose={onClose} className="shortcuts" titleId="shortcuts-title">
      <h2 id="shortcuts-title">{t("shortcuts.title")}</h2>
      <table>
        <tbody>
          {rows.map(([keys, action]) => (
            <tr key={keys}>
              <th scope="row">
                <kbd>{keys}</kbd>
              </th>
              <td>{action}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="shortcuts-note">{t("shortcuts.note")}</p>
      <form method="dialog">
        <button type="submit">{t("shortcuts.close")}</button>
      </form>
    </ModalDialog>
  );
}
