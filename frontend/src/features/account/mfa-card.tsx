import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { DownloadIcon, ShieldCheckIcon, ShieldIcon } from "lucide-react";
import QRCode from "qrcode";
import { useEffect, useState } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { sessionStore } from "@/api/session-store";
import { CopyButton } from "@/components/copy-button";
import { FormError } from "@/components/form-error";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { mfaDisableSchema, mfaEnableSchema, type MfaDisableValues, type MfaEnableValues } from "@/features/account/account-schemas";
import { recoveryCodesFileName } from "@/features/account/recovery-codes";
import { useRequiredSession } from "@/features/auth/use-session";
import { useBrand } from "@/features/branding/brand-provider";
import { useErrorMessage } from "@/lib/use-error-message";

type Setup = { secret: string; otpauth_uri: string };

export function MfaCard() {
  const { t } = useTranslation();
  const { user } = useRequiredSession();
  const [setup, setSetup] = useState<Setup | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);

  let content;
  if (recoveryCodes) {
    content = <RecoveryCodes codes={recoveryCodes} onDone={() => setRecoveryCodes(null)} />;
  } else if (user.mfa_enabled) {
    content = <DisableMfa />;
  } else if (setup) {
    content = (
      <EnableMfa
        setup={setup}
        onCancel={() => setSetup(null)}
        onEnabled={(codes) => {
          setSetup(null);
          setRecoveryCodes(codes);
          sessionStore.updateUser({ mfa_enabled: true });
        }}
      />
    );
  } else {
    content = <StartSetup onStarted={setSetup} />;
  }

  return (
    <Card>
      <CardHeader>
        <div className="flex items-center justify-between gap-2">
          <CardTitle>{t("account.mfa.title")}</CardTitle>
          <Badge variant={user.mfa_enabled ? "success" : "neutral"} data-testid="mfa-status">
            {user.mfa_enabled ? <ShieldCheckIcon /> : <ShieldIcon />}
            {t(user.mfa_enabled ? "account.mfa.enabled" : "account.mfa.disabled")}
          </Badge>
        </div>
        <CardDescription>{t("account.mfa.description")}</CardDescription>
      </CardHeader>
      {content}
    </Card>
  );
}

function StartSetup({ onStarted }: { onStarted: (setup: Setup) => void }) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const start = useMutation({ mutationFn: () => unwrap(api.POST("/api/me/mfa/setup")), onSuccess: onStarted });
  return (
    <>
      {start.error ? (
        <CardContent>
          <FormError>{errorMessage(start.error)}</FormError>
        </CardContent>
      ) : null}
      <CardFooter className="justify-end">
        <Button onClick={() => start.mutate()} disabled={start.isPending} data-testid="mfa-setup">
          {start.isPending ? <Spinner /> : null}
          {t("account.mfa.setup")}
        </Button>
      </CardFooter>
    </>
  );
}

function QrImage({ value }: { value: string }) {
  const { t } = useTranslation();
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    QRCode.toDataURL(value, { margin: 1, width: 192, errorCorrectionLevel: "M" }).then(
      (url) => alive && setSrc(url),
      () => alive && setSrc(null),
    );
    return () => {
      alive = false;
    };
  }, [value]);
  if (!src) return <Skeleton className="size-48" />;
  return <img src={src} alt={t("account.mfa.qrAlt")} className="size-48 rounded-lg border bg-white p-2" data-testid="mfa-qr" />;
}

function EnableMfa({ setup, onCancel, onEnabled }: { setup: Setup; onCancel: () => void; onEnabled: (codes: string[]) => void }) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const form = useForm<MfaEnableValues>({ resolver: zodResolver(mfaEnableSchema), defaultValues: { password: "", code: "" } });
  const enable = useMutation({
    mutationFn: (values: MfaEnableValues) => unwrap(api.POST("/api/me/mfa/enable", { body: values })),
    onSuccess: (result) => onEnabled(result.recovery_codes),
  });
  const { errors } = form.formState;
  return (
    <form noValidate onSubmit={form.handleSubmit((values) => enable.mutate(values))}>
      <CardContent className="grid gap-6 sm:grid-cols-[auto_1fr]">
        <QrImage value={setup.otpauth_uri} />
        <div className="space-y-4">
          <ol className="list-decimal space-y-1 pl-4 text-sm text-muted-foreground">
            <li>{t("account.mfa.step1")}</li>
            <li>{t("account.mfa.step2")}</li>
            <li>{t("account.mfa.step3")}</li>
          </ol>
          <div className="space-y-1.5">
            <p className="text-xs font-medium text-muted-foreground">{t("account.mfa.manual")}</p>
            <div className="flex items-center gap-2">
              <code className="min-w-0 flex-1 rounded-md border bg-muted/40 px-2 py-1.5 font-mono text-xs break-all" data-testid="mfa-secret">
                {setup.secret}
              </code>
              <CopyButton value={setup.secret} size="icon-sm" />
            </div>
          </div>
          {enable.error ? <FormError>{errorMessage(enable.error)}</FormError> : null}
          <Field id="mfa-code" label={t("fields.code")} error={errors.code?.message}>
            <Input
              id="mfa-code"
              inputMode="numeric"
              autoComplete="one-time-code"
              placeholder="123456"
              className="max-w-40 font-mono tracking-widest"
              aria-invalid={!!errors.code}
              data-testid="mfa-code"
              {...form.register("code")}
            />
          </Field>
          <Field id="mfa-enable-password" label={t("fields.currentPassword")} error={errors.password?.message}>
            <Input
              id="mfa-enable-password"
              type="password"
              autoComplete="current-password"
              className="max-w-xs"
              aria-invalid={!!errors.password}
              data-testid="mfa-enable-password"
              {...form.register("password")}
            />
          </Field>
        </div>
      </CardContent>
      <CardFooter className="justify-end">
        <Button variant="ghost" onClick={onCancel}>
          {t("common.cancel")}
        </Button>
        <Button type="submit" disabled={enable.isPending} data-testid="mfa-enable">
          {enable.isPending ? <Spinner /> : null}
          {t("account.mfa.enable")}
        </Button>
      </CardFooter>
    </form>
  );
}

function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const { t } = useTranslation();
  const { brand } = useBrand();
  const text = codes.join("\n");
  const download = () => {
    const url = URL.createObjectURL(new Blob([`${text}\n`], { type: "text/plain" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = recoveryCodesFileName(brand.name);
    link.click();
    URL.revokeObjectURL(url);
  };
  return (
    <>
      <CardContent className="space-y-4">
        <FormError className="border-warning/40 bg-warning/10 text-foreground">{t("account.mfa.recoveryWarning")}</FormError>
        <ul className="grid grid-cols-2 gap-2 rounded-lg border bg-muted/40 p-4 font-mono text-sm sm:grid-cols-5" data-testid="mfa-recovery-codes">
          {codes.map((code) => (
            <li key={code}>{code}</li>
          ))}
        </ul>
      </CardContent>
      <CardFooter className="justify-end">
        <CopyButton value={text} label={t("account.mfa.copyCodes")} testId="mfa-recovery-copy" />
        <Button variant="outline" size="sm" onClick={download} data-testid="mfa-recovery-download">
          <DownloadIcon /> {t("account.mfa.downloadCodes")}
        </Button>
        <Button size="sm" onClick={onDone} data-testid="mfa-recovery-done">
          {t("account.mfa.savedCodes")}
        </Button>
      </CardFooter>
    </>
  );
}

function DisableMfa() {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const [open, setOpen] = useState(false);
  const form = useForm<MfaDisableValues>({ resolver: zodResolver(mfaDisableSchema), defaultValues: { password: "", code: "" } });
  const disable = useMutation({
    mutationFn: (values: MfaDisableValues) => unwrap(api.POST("/api/me/mfa/disable", { body: values })),
    onSuccess: () => {
      sessionStore.updateUser({ mfa_enabled: false });
      toast.success(t("account.mfa.disabledToast"));
    },
  });
  const { errors } = form.formState;
  if (!open) {
    return (
      <CardFooter className="justify-end">
        <Button variant="outline" onClick={() => setOpen(true)} data-testid="mfa-disable-start">
          {t("account.mfa.disable")}
        </Button>
      </CardFooter>
    );
  }
  return (
    <form noValidate onSubmit={form.handleSubmit((values) => disable.mutate(values))}>
      <CardContent className="grid gap-4 sm:grid-cols-2">
        {disable.error ? <FormError className="sm:col-span-2">{errorMessage(disable.error)}</FormError> : null}
        <Field id="mfa-disable-password" label={t("fields.password")} error={errors.password?.message}>
          <Input id="mfa-disable-password" type="password" autoComplete="current-password" aria-invalid={!!errors.password} {...form.register("password")} />
        </Field>
        <Field id="mfa-disable-code" label={t("fields.code")} error={errors.code?.message}>
          <Input id="mfa-disable-code" autoComplete="one-time-code" className="font-mono" aria-invalid={!!errors.code} {...form.register("code")} />
        </Field>
      </CardContent>
      <CardFooter className="justify-end">
        <Button variant="ghost" onClick={() => setOpen(false)}>
          {t("common.cancel")}
        </Button>
        <Button type="submit" variant="destructive" disabled={disable.isPending} data-testid="mfa-disable">
          {disable.isPending ? <Spinner /> : null}
          {t("account.mfa.disable")}
        </Button>
      </CardFooter>
    </form>
  );
}
