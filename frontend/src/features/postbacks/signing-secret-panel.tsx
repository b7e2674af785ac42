import { KeyRoundIcon, RefreshCwIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { Confirm } from "@/components/confirm-button";
import { CopyButton } from "@/components/copy-button";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { useRotateSigningSecret } from "@/features/postbacks/use-postback-settings";
import { useErrorMessage } from "@/lib/use-error-message";

/** The `whsec_…` secret that signs webhook deliveries (the `webhook-signature` header). */
export function SigningSecretPanel({ secret }: { secret: string }) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const rotate = useRotateSigningSecret();
  return (
    <div className="space-y-3 rounded-lg border bg-muted/30 p-4" data-testid="postback-secret">
      <div className="space-y-1">
        <p className="flex items-center gap-2 text-sm font-medium">
          <KeyRoundIcon className="size-4 text-muted-foreground" />
          {t("postbacks.secret.title")}
        </p>
        <p className="text-xs text-muted-foreground">{t("postbacks.secret.text")}</p>
      </div>
      {secret ? (
        <div className="flex items-start gap-2 rounded-md border bg-background p-2.5">
          <code className="min-w-0 flex-1 font-mono text-xs break-all" data-testid="postback-secret-value">
            {secret}
          </code>
          <CopyButton value={secret} size="icon-sm" testId="postback-secret-copy" />
        </div>
      ) : (
        <p className="text-sm text-muted-foreground">{t("postbacks.secret.none")}</p>
      )}
      <Confirm
        trigger={
          <Button variant="outline" size="sm" disabled={rotate.isPending} data-testid="postback-secret-rotate">
            {rotate.isPending ? <Spinner /> : <RefreshCwIcon />}
            {t("postbacks.secret.rotate")}
          </Button>
        }
        title={t("postbacks.secret.rotateTitle")}
        description={t("postbacks.secret.rotateText")}
        confirmLabel={t("postbacks.secret.rotate")}
        onConfirm={() =>
          rotate.mutate(undefined, {
            onSuccess: () => toast.success(t("postbacks.secret.rotated")),
            onError: (error) => toast.error(errorMessage(error)),
          })
        }
        testId="postback-secret-rotate-confirm"
      />
    </div>
  );
}
