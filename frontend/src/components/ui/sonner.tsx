import { Toaster as Sonner } from "sonner";
import { useTheme } from "@/theme/theme-provider";

export function Toaster() {
  const { resolved } = useTheme();
  return (
    <Sonner
      theme={resolved}
      position="bottom-right"
      toastOptions={{ classNames: { toast: "!rounded-lg !border-border !bg-popover !text-popover-foreground !shadow-lg" } }}
    />
  );
}
