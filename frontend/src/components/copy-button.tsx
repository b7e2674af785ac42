import { CheckIcon, CopyIcon } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { copyText } from "@/lib/clipboard";

type CopyButtonProps = { value: string; label?: string; testId?: string; size?: "sm" | "icon-sm"; variant?: "outline" | "ghost" };

export function CopyButton({ value, label, testId, size = "sm", variant = "outline" }: CopyButtonProps) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  return (
    <Button
      size={size}
      variant={variant}
      data-testid={testId}
      aria-label={label ?? t("common.copy")}
      onClick={() => {
        copyText(value).then(
          () => {
            setCopied(true);
            toast.success(t("common.copied"));
            window.setTimeout(() => setCopied(false), 1500);
          },
          () => toast.error(t("common.copyFailed")),
        );
      }}
    >
      {copied ? <CheckIcon /> : <CopyIcon />}
      {size === "icon-sm" ? null : (label ?? t("common.copy"))}
    </Button>
  );
}
