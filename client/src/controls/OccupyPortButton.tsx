import { useTranslation } from "react-i18next";

export type OccupyPortButtonProps = {
  port: number | undefined;
  occupied: boolean;
  onOccupy: () => void;
  onFree: () => void;
};

/**
 * "Occupy port N" / "Free port N": the lab server holds the lab's port with a listening socket of
 * no module's, as another program would, so the server module's bind meets EADDRINUSE.
 */
export function OccupyPortButton({ port, occupied, onOccupy, onFree }: OccupyPortButtonProps) {
  const { t } = useTranslation();
  if (port === undefined) return null;
  return (
    <button
      type="button"
      aria-pressed={occupied}
      title={t(occupied ? "labControls.freeHint" : "labControls.occupyHint", { port })}
      onClick={occupied ? onFree : onOccupy}
    >
      {t(occupied ? "labControls.free" : "labControls.occupy", { port })}
    </button>
  );
}
