import Qcow2

/// Opens a URL as a byte source: the one entry point commands and backing chains use.
public enum RemoteSources {
    /// Opens `url` with libcurl (http, https) or libnbd (nbd, nbd+unix), read-only. Throws a
    /// ``FormatError`` of structure `.file` naming the URL when it cannot be reached, is missing,
    /// or the server does not serve byte ranges.
    public static func open(_ url: RemoteURL, options: RemoteOptions) throws(FormatError) -> any ByteSource {
        switch url.scheme {
        case .http, .https:
            let (fetcher, first) = try CurlFetcher.open(url, options: options)
            return RemoteByteSource(url: url, fetcher: fetcher, options: options, initial: (first, 0))
        case .nbd, .nbdUnix:
            return RemoteByteSource(url: url, fetcher: try NBDFetcher(url, options: options), options: options)
        }
    }
}
