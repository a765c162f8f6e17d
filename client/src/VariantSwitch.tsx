import type { Variant } from "../../shared/steps.ts";

export type VariantSwitchProps = {
  selected: Variant;
  /** Variants whose listings this build holds; the others are shown disabled. */
  available: readonly Variant[];
  onSelect: (variant: Variant) => void;
};

const LABELS: Record<Variant, string> = { published: "As published", fixed: "Fixed (Linux 6.x)" };

/** Which listing the next insmod runs: the published one with its bugs, or the fixed one for Linux 6.x. */
export function VariantSwitch({ selected, available, onSelect }: VariantSwitchProps) {
  return (
    <fieldset className="variant-switch">
      <legend>Listing</legend>
      {(Object.keys(LABELS) as Variant[]).map((variant) => (
        <button
          key={variant}
          type="button"
          aria-pressed={selected === variant}
          disabled={!available.includes(variant)}
          onClick={() => onSelect(variant)}
        >
          {LABELS[variant]}
        </button>
      ))}
    </fieldset>
  );
}
