// load_string / load_file: parse, then validate against the schema.
#include <toml++/toml.h>

#include <cerrno>
#include <cstdio>
#include <exception>
#include <memory>
#include <string>
#include <system_error>

#include "diagnostics.hpp"
#include "pilemesh/config/config.hpp"
#include "sections.hpp"

namespace pilemesh::config {
namespace {

LoadResult failed(detail::Diagnostics&& diagnostics) {
  LoadResult result;
  result.errors = std::move(diagnostics).take_sorted();
  return result;
}

std::filesystem::path absolute_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::path out =
      dir.empty() ? std::filesystem::current_path(ec) : std::filesystem::absolute(dir, ec);
  return ec ? dir : out.lexically_normal();
}

// Reads at most kMaxConfigBytes + 1 bytes: enough for load_string to reject oversized text.
std::optional<std::string> read_file(const std::filesystem::path& file, std::string& reason) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> stream(std::fopen(file.c_str(), "rb"),
                                                         &std::fclose);
  if (!stream) {
    reason = std::generic_category().message(errno);
    return std::nullopt;
  }
  std::string text;
  char buffer[16384];
  while (text.size() <= kMaxConfigBytes) {
    const std::size_t n = std::fread(buffer, 1, sizeof buffer, stream.get());
    text.append(buffer, n);
    if (n < sizeof buffer) break;
  }
  if (std::ferror(stream.get())) {
    // EISDIR and friends surface here, not at fopen.
    reason = std::generic_category().message(errno);
    return std::nullopt;
  }
  return text;
}

}  // namespace

LoadResult load_string(std::string_view toml_text, std::string_view source_name,
                       const std::filesystem::path& base_dir) {
  detail::Diagnostics diagnostics{std::string(source_name)};
  if (toml_text.size() > kMaxConfigBytes) {
    diagnostics.add_unpositioned("configuration is too large (" + std::to_string(toml_text.size()) +
                                 " bytes; at most " + std::to_string(kMaxConfigBytes) + ")");
    return failed(std::move(diagnostics));
  }
  std::shared_ptr<const toml::table> document;
  try {
    document = std::make_shared<const toml::table>(toml::parse(toml_text, source_name));
  } catch (const toml::parse_error& e) {
    diagnostics.add(e.source(), "", std::string(e.description()));
    return failed(std::move(diagnostics));
  } catch (const std::exception& e) {
    // Should not happen (e.g. out of memory); still never let it escape to the caller.
    diagnostics.add_unpositioned(std::string("cannot parse: ") + e.what());
    return failed(std::move(diagnostics));
  }

  Config config;
  config.source = source_name;
  try {
    detail::check_document(document, absolute_dir(base_dir), config, diagnostics);
  } catch (const std::exception& e) {
    diagnostics.add_unpositioned(std::string("cannot check the configuration: ") + e.what());
  }
  if (!diagnostics.empty()) return failed(std::move(diagnostics));
  LoadResult result;
  result.config = std::move(config);
  return result;
}

LoadResult load_file(const std::filesystem::path& file) {
  std::string reason;
  const auto text = read_file(file, reason);
  if (!text) {
    detail::Diagnostics diagnostics{file.string()};
    diagnostics.add_unpositioned("cannot read the file: " + reason);
    return failed(std::move(diagnostics));
  }
  return load_string(*text, file.string(), absolute_dir(file).parent_path());
}

}  // namespace pilemesh::config
