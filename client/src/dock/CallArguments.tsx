import { useTranslation } from "react-i18next";
import type { CallFrame } from "../../../shared/protocol/callFrame.ts";

/**
 * The call view's arguments: each parameter of the kernel signature with its type and value (a
 * struct's members listed under its pointer), or a note where the TS twin has no value to show.
 */
export function CallArguments({ args }: { args: CallFrame["args"] }) {
  const { t } = useTranslation();
  return (
    <table className="call-args">
      <caption>{t("callView.arguments")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("callView.param")}</th>
          <th scope="col">{t("callView.type")}</th>
          <th scope="col">{t("callView.value")}</th>
        </tr>
      </thead>
      <tbody>
        {args.map((arg) => (
          <tr key={arg.name} data-arg={arg.name}>
            <th scope="row">
              <code>{arg.name}</code>
            </th>
            <td>
              <code>{arg.type}</code>
            </td>
            <td>
              {arg.value === null ? (
                <span className="call-none">{t("callView.noTwinValue")}</span>
              ) : (
                <code>{arg.value}</code>
              )}
              {arg.fields?.length ? (
                <dl className="call-fields" aria-label={t("callView.fields", { name: arg.name })}>
                  {arg.fields.map((field) => (
                    <div key={field.name} data-field={field.name}>
                      <dt>
                        <code>{field.name}</code>
                      </dt>
                      <dd>
                        <code>{field.value}</code>
                      </dd>
                    </div>
                  ))}
                </dl>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
