import { useMutation } from "@tanstack/react-query";
import { EyeIcon, KeyRoundIcon, MailIcon } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";
import { toast } from "sonner";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { queryClient } from "@/api/query-client";
import type { Role, User } from "@/api/types";
import { FormError } from "@/components/form-error";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { DropdownMenuItem } from "@/components/ui/dropdown-menu";
import { Field } from "@/components/ui/field";
import { Spinner } from "@/components/ui/spinner";
import { Textarea } from "@/components/ui/textarea";
import { startViewAs } from "@/features/support/view-as";
import { useErrorMessage } from "@/lib/use-error-message";

/** The platform's own people: only the owner helps them (users:manage:staff). */
const STAFF: readonly Role[] = ["owner", "platform_admin", "support"];
/** Whose dashboards staff may view: advertisers' and affiliates' people. */
const VIEWABLE: readonly Role[] = ["advertiser", "affiliate"];
/** As the API counts it: the identity check's words, spaces squeezed. */
export const IDENTITY_CHECK = { min: 10, max: 500 } as const;

export type HelpKind = "verification" | "invitation" | "mfa";

/** The help `user` may get from a staff member with these rights: what its state calls for, and never the staff's own. */
export function helpFor(user: User, rights: { helps: boolean; views: boolean; helpsStaff: boolean }): { view: boolean; kinds: HelpKind[] } {
  if (STAFF.includes(user.role) && !rights.helpsStaff) return { view: false, kinds: [] };
  const kinds: HelpKind[] = [];
  if (rights.helps && user.status === "active" && !user.email_verified) kinds.push("verification");
  if (rights.helps && user.status === "invited") kinds.push("invitation");
  if (rights.helps && user.mfa_enabled) kinds.push("mfa");
  return { view: rights.views && VIEWABLE.includes(user.role) && user.status === "active", kinds };
}

/** The identity check as written, or the i18n key of what is wrong with it. */
export function identityCheckIssue(text: string): string | null {
  const length = text.split(/\s+/).filter(Boolean).join(" ").length;
  if (length < IDENTITY_CHECK.min) return "support.mfa.checkTooShort";
  if (length > IDENTITY_CHECK.max) return "support.mfa.checkTooLong";
  return null;
}

const ICONS = { verification: MailIcon, invitation: MailIcon, mfa: KeyRoundIcon } as const;

/** The menu items of a user's help: "view as", and the dialog each other help opens. */
export function HelpMenuItems({ user, view, kinds, onPick }: { user: User; view: boolean; kinds: HelpKind[]; onPick: (kind: HelpKind) => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const errorMessage = useErrorMessage();
  const viewAs = async () => {
    try {
      await startViewAs(user.id);
      navigate("/", { replace: true });
    } catch (error) {
      toast.error(errorMessage(error));
    }
  };
  return (
    <>
      {view ? (
        <DropdownMenuItem onSelect={() => void viewAs()} data-testid={`user-view-as-${user.id}`}>
          <EyeIcon /> {t("support.viewAs.action")}
        </DropdownMenuItem>
      ) : null}
      {kinds.map((kind) => {
        const Icon = ICONS[kind];
        return (
          <DropdownMenuItem key={kind} onSelect={() => onPick(kind)} data-testid={`user-help-${kind}-${user.id}`}>
            <Icon /> {t(`support.${kind}.action`)}
          </DropdownMenuItem>
        );
      })}
    </>
  );
}

function useHelp(user: User, kind: HelpKind, onDone: () => void) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const path = { params: { path: { user_id: user.id } } };
  return useMutation({
    mutationFn: (identityCheck: string) =>
      unwrap(
        kind === "verification"
          ? api.POST("/api/users/{user_id}/resend-verification", path)
          : kind === "invitation"
            ? api.POST("/api/users/{user_id}/resend-invitation", path)
            : api.POST("/api/users/{user_id}/reset-mfa", { ...path, body: { identity_check: identityCheck } }),
      ),
    onSuccess: () => {
      toast.success(t(`support.${kind}.done`, { email: user.email }));
      void queryClient.invalidateQueries({ queryKey: ["users"] });
      onDone();
    },
    onError: (error) => toast.error(errorMessage(error)),
  });
}

/** The confirmation of a help picked from the menu; resetting 2FA asks how the person's identity was confirmed. */
export function HelpDialog({ user, kind, onClose }: { user: User; kind: HelpKind; onClose: () => void }) {
  return kind === "mfa" ? <ResetMfaDialog user={user} onClose={onClose} /> : <ResendDialog user={user} kind={kind} onClose={onClose} />;
}

function ResendDialog({ user, kind, onClose }: { user: User; kind: HelpKind; onClose: () => void }) {
  const { t } = useTranslation();
  const help = useHelp(user, kind, onClose);
  return (
    <AlertDialog open onOpenChange={(open) => (open ? undefined : onClose())}>
      <AlertDialogContent data-testid={`help-${kind}-dialog`}>
        <AlertDialogHeader>
          <AlertDialogTitle>{t(`support.${kind}.title`)}</AlertDialogTitle>
          <AlertDialogDescription>{t(`support.${kind}.text`, { email: user.email })}</AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel>{t("common.cancel")}</AlertDialogCancel>
          <AlertDialogAction
            destructive={false}
            disabled={help.isPending}
            onClick={(event) => {
              event.preventDefault(); // closes once the API has answered
              help.mutate("");
            }}
            data-testid={`help-${kind}-confirm`}
          >
            {help.isPending ? <Spinner /> : null}
            {t(`support.${kind}.confirm`)}
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}

function ResetMfaDialog({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const [check, setCheck] = useState("");
  const [shown, setShown] = useState<string | null>(null);
  const help = useHelp(user, "mfa", onClose);
  const submit = () => {
    const issue = identityCheckIssue(check);
    setShown(issue);
    if (issue === null) help.mutate(check);
  };
  return (
    <Dialog open onOpenChange={(open) => (open ? undefined : onClose())}>
      <DialogContent data-testid="help-mfa-dialog">
        <DialogHeader>
          <DialogTitle>{t("support.mfa.title")}</DialogTitle>
          <DialogDescription>{t("support.mfa.text", { email: user.email })}</DialogDescription>
        </DialogHeader>
        <form
          noValidate
          className="space-y-4"
          onSubmit={(event) => {
            event.preventDefault();
            submit();
          }}
        >
          <Field id="identity-check" label={t("support.mfa.checkLabel")} hint={t("support.mfa.checkHint")} error={shown ?? undefined}>
            <Textarea
              id="identity-check"
              rows={3}
              value={check}
              onChange={(event) => setCheck(event.target.value)}
              aria-invalid={shown !== null}
              data-testid="help-mfa-check"
            />
          </Field>
          {help.error ? <FormError testId="help-mfa-error">{errorMessage(help.error)}</FormError> : null}
          <DialogFooter>
            <Button type="button" variant="outline" onClick={onClose}>
              {t("common.cancel")}
            </Button>
            <Button type="submit" variant="destructive" disabled={help.isPending} data-testid="help-mfa-confirm">
              {help.isPending ? <Spinner /> : null}
              {t("support.mfa.confirm")}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
