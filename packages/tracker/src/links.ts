/** File extensions whose links count as downloads. */
export const DOWNLOAD_EXTENSIONS = /\.(pdf|docx?|xlsx?|pptx?|csv|txt|zip|rar|7z|gz|dmg|exe|msi|apk|mp[34]|mov|epub)$/i;

/** The parts of a link (an anchor element or a URL) that decide what a click on it means. */
export interface LinkLike {
  protocol: string;
  host: string;
  pathname: string;
}

/**
 * What a click on `link` means for the page at `pageHost`: "outbound" for another site's http(s)
 * page, "download" for a same-site file, undefined for anything else. mailto: and tel: links are
 * never reported, since their "address" is personal data.
 */
export function linkKind(link: LinkLike, pageHost: string): "outbound" | "download" | undefined {
  if (!/^https?:$/.test(link.protocol)) return undefined;
  if (link.host !== pageHost) return "outbound";
  return DOWNLOAD_EXTENSIONS.test(link.pathname) ? "download" : undefined;
}
