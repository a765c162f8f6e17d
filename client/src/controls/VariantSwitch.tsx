import { useTranslation } from "react-i18next";
import { VARIANTS, type Variant } from "../../../shared/protocol/steps.ts";

export type VariantSwitchProps = {
  selected: Variant;
  /** Variants whose listings this build holds; the others are shown disabled. */
  available: readonly Variant[];
  onSelect: (variant: Variant) => void;
};

/** Which listing the next insmod runs: the published one with its bugs, or the fixed one for Linux 6.x. */
export function VariantSwitch({ selected, available, onSelect }: VariantSwitchProps) {
  const { t } = useTranslation();
  return (
    <fieldset className="variant-switch">
      <legend>{t("variant.legend")}</legend>
      {VARIANTS.map((variant) => (
        <button
          key={variant}
          type="button"
          aria-pressed={selected === variant}
          disabled={!available.includes(variant)}
          onClick={() => onSelect(variant)}
        >
          {t(`variant.${variant}`)}
        </button>
      ))}
    </fieldset>
  );
}
