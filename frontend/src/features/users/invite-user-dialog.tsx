import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { UserPlusIcon } from "lucide-react";
import { useState } from "react";
import { Controller, useForm, useWatch } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { z } from "zod";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { queryClient } from "@/api/query-client";
import type { Role } from "@/api/types";
import { FormError } from "@/components/form-error";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import { UserText } from "@/components/user-text";
import { useAdvertisers } from "@/features/advertisers/use-advertisers";
import { emailField } from "@/features/auth/schemas";
import { useErrorMessage } from "@/lib/use-error-message";

const schema = z
  .object({ email: emailField, role: z.string().min(1, "validation.required"), advertiser_id: z.string() })
  .refine((values) => values.role !== "advertiser" || values.advertiser_id.length > 0, {
    message: "validation.advertiserRequired",
    path: ["advertiser_id"],
  });
type Values = z.infer<typeof schema>;

export function InviteUserDialog({ roles }: { roles: Role[] }) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const [open, setOpen] = useState(false);
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: { email: "", role: "affiliate", advertiser_id: "" } });
  const role = useWatch({ control: form.control, name: "role" });
  const advertisers = useAdvertisers(open && role === "advertiser");
  const invite = useMutation({
    mutationFn: ({ email, role, advertiser_id }: Values) =>
      unwrap(
        api.POST("/api/users/invite", {
          body: { email, role: role as Role, ...(role === "advertiser" ? { advertiser_id } : {}) },
        }),
      ),
    onSuccess: (result) => {
      toast.success(t("users.invited", { email: result.user.email }));
      void queryClient.invalidateQueries({ queryKey: ["users"] });
      setOpen(false);
      form.reset();
    },
  });
  const { errors } = form.formState;
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) invite.reset();
      }}
    >
      <DialogTrigger asChild>
        <Button data-testid="users-invite">
          <UserPlusIcon /> {t("users.invite")}
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{t("users.inviteTitle")}</DialogTitle>
          <DialogDescription>{t("users.inviteText")}</DialogDescription>
        </DialogHeader>
        <form noValidate className="space-y-4" onSubmit={form.handleSubmit((values) => invite.mutate(values))}>
          {invite.error ? <FormError>{errorMessage(invite.error)}</FormError> : null}
          <Field id="invite-email" label={t("fields.email")} error={errors.email?.message}>
            <Input id="invite-email" type="email" autoFocus aria-invalid={!!errors.email} data-testid="users-invite-email" {...form.register("email")} />
          </Field>
          <Field id="invite-role" label={t("users.columns.role")} error={errors.role?.message}>
            <Controller
              control={form.control}
              name="role"
              render={({ field }) => (
                <Select value={field.value} onValueChange={field.onChange}>
                  <SelectTrigger id="invite-role" data-testid="users-invite-role">
                    <SelectValue />
                  </SelectTrigger>
                  <SelectContent>
                    {roles.map((value) => (
                      <SelectItem key={value} value={value}>
                        {t(`roles.${value}`)}
                      </SelectItem>
                    ))}
                  </SelectContent>
                </Select>
              )}
            />
          </Field>
          {role === "advertiser" ? (
            <Field id="invite-advertiser" label={t("users.advertiser")} error={errors.advertiser_id?.message}>
              <Controller
                control={form.control}
                name="advertiser_id"
                render={({ field }) => (
                  <Select value={field.value} onValueChange={field.onChange}>
                    <SelectTrigger id="invite-advertiser" aria-invalid={!!errors.advertiser_id} data-testid="users-invite-advertiser">
                      <SelectValue placeholder={advertisers.isPending ? t("common.loading") : t("advertisers.pick")} />
                    </SelectTrigger>
                    <SelectContent>
                      {(advertisers.data?.items ?? []).map((advertiser) => (
                        <SelectItem key={advertiser.id} value={advertiser.id}>
                          <UserText value={advertiser.name} />
                        </SelectItem>
                      ))}
                    </SelectContent>
                  </Select>
                )}
              />
            </Field>
          ) : null}
          <DialogFooter>
            <Button type="submit" disabled={invite.isPending} data-testid="users-invite-submit">
              {invite.isPending ? <Spinner /> : null}
              {t("users.sendInvite")}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
