// Route matching: exact segments and "{name}" captures, 404 versus 405.
#include <algorithm>
#include <optional>
#include <set>

#include "pilemesh/web/http.hpp"

namespace pilemesh::web {
namespace {

// "/a/b" → {"a", "b"}; "/" → {""}. A trailing slash is a (last, empty) segment of its own, so
// "/a/" and "/a" are different paths.
template <typename Segment>
std::vector<Segment> split_path(std::string_view path) {
  std::vector<Segment> segments;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (true) {
    auto slash = path.find('/');
    segments.emplace_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

bool is_param(std::string_view segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A segment with a malformed escape is kept as it came rather than guessed at.
std::string percent_decode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out += in[i];
      continue;
    }
    if (i + 2 >= in.size()) return std::string(in);
    int hi = hex_value(in[i + 1]), lo = hex_value(in[i + 2]);
    if (hi < 0 || lo < 0) return std::string(in);
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

// The number of literal segments when `pattern` matches `path`, for picking the most specific.
std::optional<int> match(const std::vector<std::string>& pattern,
                         const std::vector<std::string_view>& path) {
  if (pattern.size() != path.size()) return std::nullopt;
  int literals = 0;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (is_param(pattern[i])) {
      if (path[i].empty()) return std::nullopt;
    } else if (pattern[i] == path[i]) {
      ++literals;
    } else {
      return std::nullopt;
    }
  }
  return literals;
}

}  // namespace

void Router::add(std::string_view method, std::string_view pattern, Handler handler) {
  routes_.push_back(
      Route{std::string(method), split_path<std::string>(pattern), std::move(handler)});
}

Response Router::dispatch(Request& request) const {
  auto path = split_path<std::string_view>(request.path);
  const std::string& method = request.method;
  const Route* best = nullptr;
  int best_literals = -1;
  std::set<std::string> allowed;
  for (const auto& route : routes_) {
    auto literals = match(route.segments, path);
    if (!literals) continue;
    allowed.insert(route.method);
    if (route.method == "GET") allowed.insert("HEAD");
    bool method_fits = route.method == method || (method == "HEAD" && route.method == "GET");
    // An explicit HEAD route wins over answering HEAD with the GET one.
    if (method_fits &&
        (*literals > best_literals ||
         (*literals == best_literals && route.method == method && best->method != method))) {
      best = &route;
      best_literals = *literals;
    }
  }
  if (best == nullptr) {
    if (allowed.empty()) return json_error(404, "not_found", "No such resource: " + request.path);
    std::string allow;
    for (const auto& m : allowed) allow += (allow.empty() ? "" : ", ") + m;
    auto response = json_error(405, "method_not_allowed",
                               method + " is not supported here; use " + allow + ".");
    response.headers.emplace_back("Allow", allow);
    return response;
  }
  request.params.clear();
  for (std::size_t i = 0; i < path.size(); ++i) {
    const auto& segment = best->segments[i];
    if (is_param(segment)) {
      request.params[segment.substr(1, segment.size() - 2)] = percent_decode(path[i]);
    }
  }
  return best->handler(request);
}

std::map<std::string, std::string> query_params(std::string_view query) {
  std::map<std::string, std::string> out;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    std::string key(pair.substr(0, eq)), value;
    if (eq != std::string_view::npos) value = std::string(pair.substr(eq + 1));
    for (char& c : value)
      if (c == '+') c = ' ';
    out.emplace(percent_decode(key), percent_decode(value));  // the first of a repeated key wins
  }
  return out;
}

}  // namespace pilemesh::web
