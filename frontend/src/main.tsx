import "@/lib/zod-config";
import "@/index.css";
import "@/i18n";
import { QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router-dom";
import { queryClient } from "@/api/query-client";
import { router } from "@/app/router";
import { Toaster } from "@/components/ui/sonner";
import { SessionBootstrap } from "@/features/auth/session-bootstrap";
import { BrandProvider } from "@/features/branding/brand-provider";
import { hostPortalQuery } from "@/features/branding/portal";
import { ThemeProvider } from "@/theme/theme-provider";

const root = document.getElementById("root");
if (!root) throw new Error("#root missing from index.html");

// The page's brand is asked for while the session is restored, not after it.
void queryClient.prefetchQuery(hostPortalQuery);

createRoot(root).render(
  <StrictMode>
    <ThemeProvider>
      <QueryClientProvider client={queryClient}>
        <SessionBootstrap>
          <BrandProvider>
            <RouterProvider router={router} />
          </BrandProvider>
        </SessionBootstrap>
        <Toaster />
      </QueryClientProvider>
    </ThemeProvider>
  </StrictMode>,
);
