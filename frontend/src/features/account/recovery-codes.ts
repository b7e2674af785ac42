/**
 * The name of the file a person saves its recovery codes in: the brand it signs in to, so a drawer of
 * such files says which account each opens ("acme-partners-recovery-codes.txt"). Letters and digits
 * of any script stay; whatever else a file system might mind becomes a dash.
 */
export function recoveryCodesFileName(brandName: string): string {
  const slug = brandName
    .toLocaleLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  return slug ? `${slug}-recovery-codes.txt` : "recovery-codes.txt";
}
