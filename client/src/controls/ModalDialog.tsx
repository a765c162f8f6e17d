import { type ReactNode, useEffect, useRef } from "react";

export type ModalDialogProps = {
  open: boolean;
  onClose: () => void;
  /** The id of the heading inside that names the dialog. */
  titleId: string;
  className: string;
  children: ReactNode;
};

/**
 * A native modal <dialog> shown while `open`: it keeps focus inside, closes on Escape (telling
 * `onClose`) and gives focus back to what had it when it opened.
 */
export function ModalDialog({ open, onClose, titleId, className, children }: ModalDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);
  return (
    <dialog ref={dialog} className={className} aria-labelledby={titleId} onClose={onClose}>
      {children}
    </dialog>
  );
}
