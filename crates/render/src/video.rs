//! VideoBlock URLs: which service a URL belongs to and the id to embed (MODEL.md §6.5).

/// A video source ready to embed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VideoSource {
    /// A YouTube video id.
    YouTube(String),
    /// A Vimeo video id.
    Vimeo(String),
    /// A self-hosted `.mp4` file.
    File(String),
    /// A URL no embed is known for.
    Unsupported,
}

/// Classify a VideoBlock URL (first match wins: YouTube, Vimeo, `.mp4`).
pub fn video_source(url: &str) -> VideoSource {
    let is_youtube = ["youtube", "youtu.be", "y2u.be", "i.ytimg."]
        .iter()
        .any(|s| url.contains(s));
    if is_youtube {
        return youtube_id(url).map_or(VideoSource::Unsupported, VideoSource::YouTube);
    }
    if url.contains("vimeo") {
        return vimeo_id(url).map_or(VideoSource::Unsupported, VideoSource::Vimeo);
    }
    if url.contains(".mp4") {
        return VideoSource::File(url.to_string());
    }
    VideoSource::Unsupported
}

fn cut_id(id: &str) -> Option<String> {
    let end = id
        .find('?')
        .or_else(|| id.find('/'))
        .or_else(|| id.find('&'))
        .unwrap_or(id.len());
    let id = &id[..end];
    (!id.is_empty()).then(|| id.to_string())
}

fn youtube_id(url: &str) -> Option<String> {
    let mut u = url.replace("/www.", "/").replace("-nocookie", "");
    if let Some(i) = u.find("#t=") {
        u.truncate(i);
    }
    let u = u
        .split_once("://")
        .map_or(u.as_str(), |(_, rest)| rest)
        .to_string();
    for marker in ["youtu.be/", "y2u.be/", "youtube://"] {
        if let Some(i) = u.find(marker) {
            return cut_id(&u[i + marker.len()..]);
        }
    }
    for marker in ["/v/", "/vi/"] {
        if let Some(i) = u.find(marker) {
            return cut_id(&u[i + marker.len()..]);
        }
    }
    for marker in ["v=", "vi="] {
        if let Some(i) = u
            .find(marker)
            .filter(|&i| i == 0 || matches!(u.as_bytes()[i - 1], b'?' | b'&'))
        {
            return cut_id(&u[i + marker.len()..]);
        }
    }
    if let Some(i) = u.find("v%3D") {
        return cut_id(u[i + 4..].split("%26").next().unwrap_or_default());
    }
    for marker in ["/an_webp/", "/e/", "/embed/"] {
        if let Some(i) = u.find(marker) {
            return cut_id(&u[i + marker.len()..]);
        }
    }
    if let Some(i) = u.find("/user/") {
        let rest = &u[i + 6..];
        let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
        return match segments.len() {
            0 | 1 => None,
            _ => cut_id(segments[segments.len() - 1]),
        };
    }
    None
}

fn vimeo_id(url: &str) -> Option<String> {
    let mut u = url.split('#').next().unwrap_or_default().to_string();
    if let Some(i) = u.find('?') {
        if let Some(c) = u[i..].find("clip_id=") {
            let rest = &u[i + c + 8..];
            return rest
                .split('&')
                .next()
                .filter(|s| !s.is_empty())
                .map(str::to_string);
        }
        u.truncate(i);
    }
    let digits = |s: &str| -> Option<String> {
        let d: String = s.chars().take_while(char::is_ascii_digit).collect();
        (!d.is_empty()).then_some(d)
    };
    if let Some(i) = u.find("vimeo.com/event/") {
        return digits(&u[i + 16..]);
    }
    let last = u
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default();
    if let Some(i) = u.find("vimeo.com/") {
        if let Some(d) = digits(&u[i + 10..]) {
            return Some(d);
        }
    }
    (!last.is_empty()).then(|| last.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_youtube_ids_in_the_usual_url_shapes() {
        for url in [
            "https://youtu.be/BD-YliszGkA",
            "https://www.youtube.com/watch?v=BD-YliszGkA&t=10",
            "https://www.youtube-nocookie.com/embed/BD-YliszGkA?rel=0",
            "https://youtube.com/v/BD-YliszGkA",
        ] {
            assert_eq!(
                video_source(url),
                VideoSource::YouTube("BD-YliszGkA".into()),
                "{url}"
            );
        }
    }

    #[test]
    fn finds_vimeo_ids_and_files() {
        assert_eq!(
            video_source("https://vimeo.com/76979871"),
            VideoSource::Vimeo("76979871".into())
        );
        assert_eq!(
            video_source("https://player.vimeo.com/video/76979871?h=x"),
            VideoSource::Vimeo("76979871".into())
        );
        assert_eq!(
            video_source("/videos/intro.mp4"),
            VideoSource::File("/videos/intro.mp4".into())
        );
        assert_eq!(
            video_source("https://example.org/x.webm"),
            VideoSource::Unsupported
        );
    }
}
