import { useRef } from "react";
import type { UseFormReturn } from "react-hook-form";
import type { PostbackFormValues } from "@/features/postbacks/postback-form";
import { insertMacro } from "@/features/postbacks/postback-macros";

/** The form's URL fields: the global one and each override's. */
export type UrlField = "url" | `overrides.${number}.url`;
type UrlElement = HTMLInputElement | HTMLTextAreaElement;

/**
 * Remembers which URL field was used last, so a macro chip types into that field at its cursor
 * (the global URL until another one had focus).
 */
export function useMacroTarget(form: UseFormReturn<PostbackFormValues>) {
  const elements = useRef(new Map<UrlField, UrlElement>());
  const target = useRef<UrlField>("url");

  /** `register` for a URL field, which also lets the chips find the field and its cursor. */
  const registerUrl = (name: UrlField) => {
    const registration = form.register(name);
    return {
      ...registration,
      ref: (element: UrlElement | null) => {
        registration.ref(element);
        if (element) elements.current.set(name, element);
        else elements.current.delete(name);
      },
      onFocus: () => {
        target.current = name;
      },
    };
  };

  const insert = (macro: string) => {
    const name = elements.current.has(target.current) ? target.current : "url";
    const element = elements.current.get(name);
    const { value, cursor } = insertMacro(form.getValues(name), macro, element?.selectionStart ?? null, element?.selectionEnd ?? null);
    form.setValue(name, value, { shouldDirty: true, shouldValidate: form.formState.isSubmitted });
    // After React has written the new value, the cursor goes right after the macro.
    requestAnimationFrame(() => {
      element?.focus();
      element?.setSelectionRange(cursor, cursor);
    });
  };

  return { registerUrl, insert };
}

export type MacroTarget = ReturnType<typeof useMacroTarget>;
