import { useMutation } from "@tanstack/react-query";
import { ArrowLeftIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router-dom";
import { toast } from "sonner";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { queryClient } from "@/api/query-client";
import type { OfferCreate } from "@/api/types";
import { PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";
import { useWorkspaceAdvertiser } from "@/features/advertisers/use-advertisers";
import { OfferForm } from "@/features/offers/offer-form";
import { newOfferForm } from "@/features/offers/offer-schema";
import { offerKeys } from "@/features/offers/use-offers";

export function OfferCreatePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const workspace = useWorkspaceAdvertiser();
  const create = useMutation({
    mutationFn: (body: OfferCreate) => unwrap(api.POST("/api/offers", { params: { query: workspace.query }, body })),
    onSuccess: (offer) => {
      queryClient.setQueryData(offerKeys.detail(offer.id), offer);
      void queryClient.invalidateQueries({ queryKey: offerKeys.all });
      toast.success(t("offers.created", { name: offer.name }));
      navigate(`/offers/${offer.id}${workspace.search}`, { replace: true });
    },
  });

  return (
    <>
      <PageHeader
        title={t("offers.createTitle")}
        description={t("offers.createText")}
        actions={
          <Button asChild variant="ghost" size="sm">
            <Link to={`/offers${workspace.search}`} data-testid="offer-back">
              <ArrowLeftIcon /> {t("offers.backToList")}
            </Link>
          </Button>
        }
      />
      <OfferForm
        defaultValues={newOfferForm()}
        onSubmit={(body) => create.mutate(body)}
        submitting={create.isPending}
        error={create.error}
        submitLabel={t("offers.create")}
      />
    </>
  );
}
