import type { LayoutServerLoad } from "./$types";

export const load: LayoutServerLoad = ({ locals }) => {
  const user = locals.user;
  return {
    locale: locals.locale,
    user: user ? { id: user.id, email: user.email, name: user.name, role: user.role } : null,
  };
};
