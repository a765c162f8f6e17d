import { Component, type ErrorInfo, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

type PaneErrorBoundaryProps = { children: ReactNode; label: string };
type PaneErrorBoundaryState = { error: Error | null };

/**
 * One dock pane's guard: a view that meets a value it cannot show (a run file's field the schema
 * let through) shows the error in its own pane, and the rest of the page keeps working, instead
 * of React unmounting the whole tree. "Try again" renders the view afresh.
 */
export class PaneErrorBoundary extends Component<PaneErrorBoundaryProps, PaneErrorBoundaryState> {
  state: PaneErrorBoundaryState = { error: null };

  static getDerivedStateFromError(error: unknown): PaneErrorBoundaryState {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  componentDidCatch(error: Error, info: ErrorInfo): void {
    // A warning, not console.error: the page goes on, and the pane says what happened.
    console.warn(`the ${this.props.label} view failed:`, error, info.componentStack);
  }

  render(): ReactNode {
    if (!this.state.error) return this.props.children;
    return (
      <PaneError
        label={this.props.label}
        message={this.state.error.message}
        onRetry={() => this.setState({ error: null })}
      />
    );
  }
}

export type PaneErrorProps = { label: string; message: string; onRetry: () => void };

export function PaneError({ label, message, onRetry }: PaneErrorProps) {
  const { t } = useTranslation();
  return (
    <div className="pane-error" role="alert">
      <p>{t("dock.failed", { view: label })}</p>
      <pre>{message}</pre>
      <button type="button" onClick={onRetry}>
        {t("dock.retry")}
      </button>
    </div>
  );
}
