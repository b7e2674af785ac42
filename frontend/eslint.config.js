// ESLint (flat config): JavaScript's and typescript-eslint's recommended rules, React's rules of hooks,
// and nothing about layout, which is Prettier's (`npm run format:check`).
import js from "@eslint/js";
import prettier from "eslint-config-prettier/flat";
import reactHooks from "eslint-plugin-react-hooks";
import { defineConfig, globalIgnores } from "eslint/config";
import globals from "globals";
import tseslint from "typescript-eslint";

export default defineConfig([
  // Built output, and the API's types generated from src/api/openapi.json.
  globalIgnores(["dist/", "src/api/schema.d.ts"]),
  {
    files: ["**/*.{ts,tsx,js}"],
    extends: [js.configs.recommended, tseslint.configs.recommended, reactHooks.configs.flat.recommended, prettier],
    languageOptions: { ecmaVersion: 2023, globals: { ...globals.browser } },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      eqeqeq: ["error", "always", { null: "ignore" }],
    },
  },
  {
    // Node runs the build's config and the tests (they read files beside them).
    files: ["vite.config.ts", "eslint.config.js", "src/**/*.test.{ts,tsx}"],
    languageOptions: { globals: { ...globals.node } },
  },
]);
