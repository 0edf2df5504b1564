import { redirect } from "next/navigation";

export default async function ProfilePage({ params }: { params: Promise<{ slug: string; profileId: string }> }) {
  const { slug, profileId } = await params;
  redirect(`/t/${slug}/scim-export/${profileId}/configuration`);
}
