#include "portal/service.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <set>

#include "core/crypto.h"
#include "core/log.h"
#include "core/time.h"
#include "core/utf8.h"
#include "portal/markdown.h"
#include "portal/media.h"
#include "portal/store.h"
#include "text/normalize.h"

extern char** environ;
void pbgdpl_embed_pbgdpl_portal_portal();
void pbgdpl_embed_pbgdpl_portal_web();

namespace pbgdpl::portal {

using accounts::Permission;
using core::Error;
using core::ErrorCode;
using nlohmann::json;
using storage::Conn;
namespace fs = std::filesystem;

void register_portal_assets() {
  pbgdpl_embed_pbgdpl_portal_portal();
  pbgdpl_embed_pbgdpl_portal_web();
}

namespace {

constexpr const char* kIndexJob = "portal.index";
constexpr const char* kTtsJob = "portal.tts";
constexpr const char* kScheduleJob = "portal.schedule";
constexpr const char* kLinksJob = "portal.links";
constexpr int64_t kLinkPeriodMs = 6LL * 3600 * 1000;

Error invalid(std::string msg, std::string field) {
  return Error::of(ErrorCode::Validation, std::move(msg), std::move(field));
}

Status check_text(const std::string& s, size_t max_chars, const char* what, const char* field) {
  if (!core::utf8_valid(s)) return Error::of(ErrorCode::InvalidUtf8, std::string(what) + " không phải văn bản UTF-8 hợp lệ.", field);
  if (core::has_control_chars(s)) return invalid(std::string(what) + " chứa ký tự điều khiển không hợp lệ.", field);
  if (core::utf8_length(s) > max_chars)
    return invalid(std::string(what) + " quá dài (tối đa " + std::to_string(max_chars) + " ký tự).", field);
  return {};
}

json item_json(const Item& it) {
  return {{"title", it.title}, {"status", it.status}, {"version", it.version}, {"org", it.org_code},
          {"kind", it.kind},   {"format", it.format}, {"slug", it.slug}};
}

void apply(const ItemInput& in, Item& it) {
  it.kind = in.kind;
  it.format = in.kind == "tai_lieu" ? in.format : "bai_viet";
  it.title = std::string(core::trim(in.title));
  it.summary = std::string(core::trim(in.summary));
  it.body = in.body;
  it.category = in.category;
  it.audiences = in.audiences.empty() ? std::vector<std::string>{"nguoi_dan"} : in.audiences;
  it.topics = in.topics;
  it.legal_refs = in.legal_refs;
  it.language = in.language.empty() ? "vi" : in.language;
  it.source_id = in.source_id;
  it.media_url = std::string(core::trim(in.media_url));
  it.cover_media_id = in.cover_media_id;
  it.audio_media_id = in.audio_media_id;
  it.featured = in.featured;
}

// Media ids an item uses: cover, recording, attachments and images in the body.
std::vector<int64_t> used_media(const Item& it, const std::vector<int64_t>& attached) {
  std::vector<int64_t> ids;
  auto add = [&](int64_t id) {
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  };
  if (it.cover_media_id) add(*it.cover_media_id);
  if (it.audio_media_id) add(*it.audio_media_id);
  for (auto id : attached) add(id);
  for (size_t pos = it.body.find("/media/"); pos != std::string::npos; pos = it.body.find("/media/", pos + 1)) {
    size_t p = pos + 7;
    int64_t id = 0;
    size_t digits = 0;
    while (p < it.body.size() && std::isdigit(static_cast<unsigned char>(it.body[p])) && digits < 15)
      id = id * 10 + (it.body[p++] - '0'), ++digits;
    if (digits) add(id);
  }
  return ids;
}

std::string month_of(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000 + 7 * 3600);  // Asia/Ho_Chi_Minh
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", tm.tm_year + 1900, tm.tm_mon + 1);
  return buf;
}

// Runs a program without a shell; returns its exit status (-1 when it could not start).
int run_program(const std::vector<std::string>& argv, std::string* out = nullptr) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  int pipefd[2] = {-1, -1};
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  if (out && pipe(pipefd) == 0) {
    posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
    posix_spawn_file_actions_addclose(&fa, pipefd[0]);
  } else {
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  }
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid;
  int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (pipefd[1] >= 0) close(pipefd[1]);
  if (rc != 0) {
    if (pipefd[0] >= 0) close(pipefd[0]);
    return -1;
  }
  if (out && pipefd[0] >= 0) {
    char buf[4096];
    ssize_t n;
    while ((n = read(pipefd[0], buf, sizeof buf)) > 0) out->append(buf, static_cast<size_t>(n));
    close(pipefd[0]);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

Status write_file(const fs::path& p, std::string_view bytes) {
  std::error_code ec;
  fs::create_directories(p.parent_path(), ec);
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  f.flush();
  if (!f) return Error::of(ErrorCode::Internal, "Không ghi được tệp lên đĩa.");
  f.close();
  return {};
}

}  // namespace

int run_tool(const std::vector<std::string>& argv) { return run_program(argv); }

std::string slug_base(std::string_view title) {
  std::string base = text::slugify(core::trim(title), 200);
  if (base.size() > 70) {
    auto cut = base.rfind('-', 70);
    base.resize(cut == std::string::npos || cut < 20 ? 70 : cut);
  }
  return base.empty() ? "bai-viet" : base;
}

Service::Service(storage::Database& db, accounts::Service& accounts, search::Index* index, ServiceOptions o)
    : db_(db), accounts_(accounts), index_(index), opt_(std::move(o)) {}

void Service::register_jobs(storage::JobQueue& q) {
  auto id_of = [](const storage::Job& j) { return std::atoll(j.payload.c_str()); };
  q.handle(kIndexJob, [this, id_of](const storage::Job& j) { return index_item(id_of(j)); });
  q.handle(kTtsJob, [this, id_of](const storage::Job& j) { return synthesize(id_of(j)); });
  q.handle(kScheduleJob, [this, id_of](const storage::Job& j) { return run_schedule(id_of(j)); });
  q.handle(kLinksJob, [this](const storage::Job&) {
    auto st = check_links();
    // Periodic: the next check is queued whatever this one found.
    auto next = db_.write([&](Conn& c) -> Result<int64_t> {
      auto pending = c.one("SELECT 1 FROM jobs WHERE kind = ? AND status = 'queued'", {std::string(kLinksJob)});
      if (!pending) return pending.take_error();
      if (pending->has_value()) return int64_t{0};
      return storage::enqueue(c, kLinksJob, "", core::now_ms() + kLinkPeriodMs);
    });
    if (!next) return Status(next.take_error());
    return st;
  });
}

Result<accounts::Org> Service::org_for(const http::Principal& who, const std::string& code) {
  if (!code.empty()) {
    auto o = accounts_.find_org(code);
    if (!o) return o.take_error();
    if (!o->has_value()) return invalid("Không có đơn vị mã “" + code + "”.", "org_code");
    return **o;
  }
  auto tree = accounts_.org_tree();
  if (!tree) return tree.take_error();
  for (const auto& o : *tree)
    if (o.id == who.org_id) return o;
  // People without an organization (the command line) publish under the root.
  if (!tree->empty() && (who.system_admin || who.org_id == 0)) return tree->front();
  return invalid("Hãy chọn đơn vị đăng bài.", "org_code");
}

Status Service::validate(const ItemInput& in, Conn& c) {
  if (!valid_code(kinds(), in.kind)) return invalid("Loại nội dung không hợp lệ.", "kind");
  if (in.kind == "tai_lieu" && (!valid_code(formats(), in.format) || in.format == "bai_viet"))
    return invalid("Hãy chọn hình thức tài liệu (sổ tay, tờ gấp, bài giảng, infographic, video, audio, sách nói, tình huống).", "format");
  if (!valid_code(categories(), in.category)) return invalid("Chuyên mục không hợp lệ.", "category");
  if (!in.language.empty() && !valid_code(languages(), in.language)) return invalid("Ngôn ngữ không hợp lệ.", "language");
  PBGDPL_TRY(check_text(in.title, 300, "Tiêu đề", "title"));
  if (core::utf8_length(core::trim(in.title)) < 3) return invalid("Tiêu đề phải có ít nhất 3 ký tự.", "title");
  PBGDPL_TRY(check_text(in.summary, 1000, "Tóm tắt", "summary"));
  PBGDPL_TRY(check_text(in.body, 200000, "Nội dung", "body"));
  for (const auto& a : in.audiences)
    if (!valid_code(audiences(), a)) return invalid("Đối tượng “" + a + "” không hợp lệ.", "audiences");
  if (in.topics.size() > 10) return invalid("Tối đa 10 chủ đề cho một bài.", "topics");
  for (const auto& t : in.topics) {
    PBGDPL_TRY(check_text(t, 60, "Chủ đề", "topics"));
    if (text::slugify(t).empty()) return invalid("Chủ đề “" + t + "” phải có chữ hoặc số.", "topics");
  }
  if (in.legal_refs.size() > 20) return invalid("Tối đa 20 liên kết đến văn bản pháp luật.", "legal_refs");
  for (const auto& r : in.legal_refs) {
    PBGDPL_TRY(check_text(r, 300, "Liên kết văn bản", "legal_refs"));
    if (!r.starts_with("/van-ban/") || r.find("..") != std::string::npos || r.find_first_of(" \"'<>") != std::string::npos)
      return invalid("Liên kết “" + r + "” phải là địa chỉ trong Tủ sách pháp luật, dạng /van-ban/…/dieu-12.", "legal_refs");
    if (ref_checker_ && !ref_checker_(r))
      return invalid("Không tìm thấy điều khoản hay văn bản “" + r + "” trong Tủ sách pháp luật.", "legal_refs");
  }
  if (!in.media_url.empty()) {
    PBGDPL_TRY(check_text(in.media_url, 500, "Đường dẫn video", "media_url"));
    if (!safe_link(in.media_url) || !(in.media_url.starts_with("https://") || in.media_url.starts_with("http://")))
      return invalid("Đường dẫn video phải bắt đầu bằng https://", "media_url");
  }
  if (in.source_id) {
    auto src = store::by_id(c, *in.source_id);
    if (!src) return src.take_error();
    if (!src->has_value()) return invalid("Không tìm thấy bài gốc của bản dịch này.", "source_id");
    if ((*src)->language == (in.language.empty() ? "vi" : in.language))
      return invalid("Bản dịch phải có ngôn ngữ khác với bài gốc.", "language");
    if ((*src)->source_id) return invalid("Bài gốc đã là một bản dịch; hãy liên kết với bài gốc đầu tiên.", "source_id");
  }
  std::vector<int64_t> ids = in.media_ids;
  if (in.cover_media_id) ids.push_back(*in.cover_media_id);
  if (in.audio_media_id) ids.push_back(*in.audio_media_id);
  if (ids.size() > 60) return invalid("Quá nhiều tệp đính kèm (tối đa 60).", "media_ids");
  auto found = store::media_by_ids(c, ids);
  if (!found) return found.take_error();
  for (auto id : ids) {
    auto it = std::find_if(found->begin(), found->end(), [&](const Media& m) { return m.id == id; });
    if (it == found->end()) return invalid("Không có tệp số " + std::to_string(id) + " trong thư viện media.", "media_ids");
    if (in.cover_media_id && id == *in.cover_media_id && it->kind != "image")
      return invalid("Ảnh đại diện phải là một ảnh.", "cover_media_id");
    if (in.audio_media_id && id == *in.audio_media_id && it->kind != "audio")
      return invalid("Bản ghi âm đọc bài phải là tệp âm thanh.", "audio_media_id");
  }
  return {};
}

Status Service::ready_to_publish(Conn& c, const Item& it) {
  auto attached = store::item_media_ids(c, it.id);
  if (!attached) return attached.take_error();
  auto ids = used_media(it, *attached);
  auto media = store::media_by_ids(c, ids);
  if (!media) return media.take_error();
  bool has_audio = false, has_video = false, has_pdf = false, has_image = false;
  for (const auto& m : *media) {
    std::string name = m.filename.empty() ? "số " + std::to_string(m.id) : m.filename;
    if (m.kind == "image") {
      has_image = true;
      if (core::trim(m.alt).empty())
        return invalid("Ảnh “" + name + "” chưa có mô tả thay thế (alt). Hãy bổ sung trong Thư viện media trước khi gửi duyệt hoặc xuất bản.", "media_ids");
    }
    if ((m.kind == "audio" || m.kind == "video") && core::trim(m.transcript).empty())
      return invalid("Tệp “" + name + "” chưa có phụ đề hoặc lời thoại (transcript). Người khiếm thính cần nội dung này.", "media_ids");
    has_audio |= m.kind == "audio";
    has_video |= m.kind == "video";
    has_pdf |= m.kind == "pdf";
  }
  if (core::trim(it.body).empty() && core::trim(it.summary).empty())
    return invalid("Bài chưa có nội dung.", "body");
  if (it.format == "infographic" && (!has_image || core::trim(it.body).empty()))
    return invalid("Infographic cần ảnh và phần nội dung bằng chữ thay thế cho ảnh (cho người dùng trình đọc màn hình).", "body");
  if (it.format == "video" && !has_video && it.media_url.empty())
    return invalid("Tài liệu video cần một tệp video hoặc đường dẫn video.", "media_url");
  if ((it.format == "audio" || it.format == "sach_noi") && !has_audio)
    return invalid("Tài liệu audio, sách nói cần một tệp âm thanh.", "media_ids");
  if (it.format == "bai_giang" && !has_pdf && core::trim(it.body).empty())
    return invalid("Bài giảng cần tệp PDF hoặc nội dung trình bày.", "media_ids");
  return {};
}

Result<Item> Service::create(const http::Principal& who, const accounts::Actor& a, const ItemInput& in) {
  auto org = org_for(who, in.org_code);
  if (!org) return org.take_error();
  if (!accounts::Service::can(who, Permission::EditContent, org->path))
    return Error::of(ErrorCode::Forbidden, "Bạn không có quyền viết bài cho " + org->name + ".");
  return db_.write([&](Conn& c) -> Result<Item> {
    PBGDPL_TRY(validate(in, c));
    Item it;
    apply(in, it);
    it.org_code = org->code;
    it.org_name = org->name;
    it.author = a.name;
    it.created_at = it.updated_at = core::now_ms();
    const std::string base = slug_base(it.title);
    it.slug = base;
    for (int i = 2;; ++i) {
      auto taken = store::slug_taken(c, it.slug);
      if (!taken) return taken.take_error();
      if (!*taken) break;
      if (i > 1000) return Error::of(ErrorCode::Conflict, "Không tạo được địa chỉ riêng cho bài.");
      it.slug = base + "-" + std::to_string(i);
    }
    auto id = store::insert(c, it);
    if (!id) return id.take_error();
    it.id = *id;
    PBGDPL_TRY(store::replace_tags(c, it.id, it));
    PBGDPL_TRY(store::replace_item_media(c, it.id, in.media_ids));
    PBGDPL_TRY(store::add_revision(c, {0, it.id, it.version, it.title, it.summary, it.body, a.name, "Tạo mới", it.created_at}));
    PBGDPL_TRY(accounts::Service::record(c, a, "portal.item.create", "portal_item", std::to_string(it.id), nullptr, item_json(it)));
    return it;
  });
}

namespace {
Error conflict(const Item& cur) {
  return Error::of(ErrorCode::Conflict,
                   "Bài này vừa được " + (cur.author.empty() ? std::string("người khác") : cur.author) +
                       " thay đổi (nay là phiên bản " + std::to_string(cur.version) +
                       "). Thay đổi của bạn chưa được lưu và không ghi đè lên bản của họ; hãy mở lại bài để xem bản mới rồi sửa tiếp.",
                   "version");
}
}  // namespace

Result<Item> Service::update(const http::Principal& who, const accounts::Actor& a, int64_t id, int64_t expected_version,
                             const ItemInput& in, const std::string& note) {
  std::optional<accounts::Org> new_org;
  if (!in.org_code.empty()) {
    auto o = org_for(who, in.org_code);
    if (!o) return o.take_error();
    new_org = *o;
  }
  return db_.write([&](Conn& c) -> Result<Item> {
    auto got = item_and_path(c, id);
    if (!got) return got.take_error();
    Item it = std::move(got->first);
    const std::string path = got->second;
    if (!accounts::Service::can(who, Permission::EditContent, path) && !accounts::Service::can(who, Permission::ApproveContent, path))
      return Error::of(ErrorCode::Forbidden, "Bạn không có quyền sửa bài của " + it.org_name + ".");
    bool approver = accounts::Service::can(who, Permission::ApproveContent, path);
    if (it.version != expected_version) return conflict(it);
    if (!approver && it.status != "draft" && it.status != "unpublished")
      return Error::of(ErrorCode::Forbidden, "Bài đang ở trạng thái “" + label_of(statuses(), it.status) +
                                                 "”; chỉ người duyệt của đơn vị được sửa. Hãy đề nghị người duyệt trả lại bài.");
    if (new_org && new_org->code != it.org_code) {
      if (!accounts::Service::can(who, Permission::EditContent, new_org->path))
        return Error::of(ErrorCode::Forbidden, "Bạn không có quyền đăng bài cho " + new_org->name + ".");
      it.org_code = new_org->code;
      it.org_name = new_org->name;
    }
    PBGDPL_TRY(validate(in, c));
    if (in.source_id && *in.source_id == id) return invalid("Một bài không thể là bản dịch của chính nó.", "source_id");
    json before = item_json(it);
    bool text_changed = it.title != core::trim(in.title) || it.summary != core::trim(in.summary) || it.body != in.body;
    apply(in, it);
    if (!approver && it.status == "unpublished") it.status = "draft";
    it.author = a.name;
    it.updated_at = core::now_ms();
    auto ok = store::update_if_version(c, it, expected_version);
    if (!ok) return ok.take_error();
    if (!*ok) {
      auto again = store::by_id(c, id);
      if (again && again->has_value()) return conflict(**again);
      return Error::of(ErrorCode::NotFound, "Không tìm thấy bài này.");
    }
    it.version = expected_version + 1;
    PBGDPL_TRY(store::replace_tags(c, it.id, it));
    PBGDPL_TRY(store::replace_item_media(c, it.id, in.media_ids));
    if (text_changed)
      PBGDPL_TRY(store::add_revision(c, {0, it.id, it.version, it.title, it.summary, it.body, a.name, note, it.updated_at}));
    if (it.status == "published") {
      // A live edit: the published page, its search entry and its audio follow.
      PBGDPL_TRY(ready_to_publish(c, it));
      if (auto j = storage::enqueue(c, kIndexJob, std::to_string(id)); !j) return j.take_error();
      if (auto j = storage::enqueue(c, kTtsJob, std::to_string(id)); !j) return j.take_error();
    }
    PBGDPL_TRY(accounts::Service::record(c, a, "portal.item.update", "portal_item", std::to_string(id), before, item_json(it)));
    return it;
  });
}

Result<std::pair<Item, std::string>> Service::item_and_path(Conn& c, int64_t id) {
  auto cur = store::by_id(c, id);
  if (!cur) return cur.take_error();
  if (!cur->has_value()) return Error::of(ErrorCode::NotFound, "Không tìm thấy bài này.");
  auto org = accounts_.find_org((*cur)->org_code);
  if (!org) return org.take_error();
  return std::make_pair(std::move(**cur), org->has_value() ? (*org)->path : std::string());
}

Result<Item> Service::transition(const http::Principal& who, const accounts::Actor& a, int64_t id, int64_t expected_version,
                                 Permission perm, const std::string& action,
                                 const std::function<Status(Conn&, Item&)>& change) {
  return db_.write([&](Conn& c) -> Result<Item> {
    auto got = item_and_path(c, id);
    if (!got) return got.take_error();
    Item it = std::move(got->first);
    if (!accounts::Service::can(who, perm, got->second))
      return Error::of(ErrorCode::Forbidden, perm == Permission::ApproveContent
                                                 ? "Chỉ người duyệt của " + it.org_name + " được thực hiện thao tác này."
                                                 : "Bạn không có quyền với bài của " + it.org_name + ".");
    if (it.version != expected_version) return conflict(it);
    json before = item_json(it);
    PBGDPL_TRY(change(c, it));
    it.updated_at = core::now_ms();
    auto ok = store::update_if_version(c, it, expected_version);
    if (!ok) return ok.take_error();
    if (!*ok) return conflict(it);
    it.version = expected_version + 1;
    PBGDPL_TRY(accounts::Service::record(c, a, "portal.item." + action, "portal_item", std::to_string(id), before, item_json(it)));
    return it;
  });
}

namespace {
Status wrong_state(const Item& it, const char* want) {
  return Error::of(ErrorCode::Conflict, "Bài đang ở trạng thái “" + label_of(statuses(), it.status) + "”; thao tác này cần bài " + want + ".");
}
Status enqueue_public_jobs(Conn& c, int64_t id) {
  if (auto j = storage::enqueue(c, kIndexJob, std::to_string(id)); !j) return j.take_error();
  if (auto j = storage::enqueue(c, kTtsJob, std::to_string(id)); !j) return j.take_error();
  return {};
}
}  // namespace

Result<Item> Service::submit(const http::Principal& who, const accounts::Actor& a, int64_t id, int64_t v) {
  return transition(who, a, id, v, Permission::EditContent, "submit", [&](Conn& c, Item& it) -> Status {
    if (it.status != "draft") return wrong_state(it, "ở dạng bản nháp");
    PBGDPL_TRY(ready_to_publish(c, it));
    it.status = "submitted";
    it.review_note.clear();
    return {};
  });
}

Result<Item> Service::approve(const http::Principal& who, const accounts::Actor& a, int64_t id, int64_t v) {
  return transition(who, a, id, v, Permission::ApproveContent, "approve", [&](Conn& c, Item& it) -> Status {
    if (it.status != "submitted") return wrong_state(it, "đang chờ duyệt");
    PBGDPL_TRY(ready_to_publish(c, it));
    it.status = "approved";
    return {};
  });
}

Result<Item> Service::reject(const http::Principal& who, const accounts::Actor& a, int64_t id, int64_t v, const std::string& note) {
  return transition(who, a, id, v, Permission::ApproveContent, "reject", [&](Conn&, Item& it) -> Status {
    if (it.status != "submitted" && it.status != "approved") return wrong_state(it, "đang chờ duyệt hoặc đã duyệt");
    PBGDPL_TRY(check_text(note, 2000, "Ý kiến", "note"));
    if (core::trim(note).empty()) return invalid("Hãy ghi lý do trả lại để người viết biết cần sửa gì.", "note");
    it.status = "draft";
    it.review_note = std::string(core::trim(note));
    it.publish_at.reset();
    return {};
  });
}

Result<Item> Service::publish(const http::Principal& who, const accounts::Actor& a, int64_t id, int64_t v, const PublishOptions& o) {
  const int64_t now = core::now_ms();
  return transition(who, a, id, v, Permission::ApproveContent, "publish", [&](Conn& c, Item& it) -> Status {
    if (it.status != "submitted" && it.status != "approved" && it.status != "unpublished")
      return wrong_state(it, "đã gửi duyệt");
    if (o.publish_at && *o.publish_at < now - 60'000)
      return invalid("Thời điểm xuất bản đã qua. Hãy để trống để xuất bản ngay, hoặc chọn một thời điểm trong tương lai.", "publish_at");
    int64_t goes_live = o.publish_at ? std::max(*o.publish_at, now) : now;
    if (o.unpublish_at && *o.unpublish_at <= goes_live)
      return invalid("Thời điểm gỡ bài phải sau thời điểm xuất bản.", "unpublish_at");
    PBGDPL_TRY(ready_to_publish(c, it));
    it.unpublish_at = o.unpublish_at;
    if (o.publish_at && *o.publish_at > now + 1000) {
      it.status = "approved";
      it.publish_at = *o.publish_at;
      if (auto j = storage::enqueue(c, kScheduleJob, std::to_string(id), *o.publish_at); !j) return j.take_error();
    } else {
      it.status = "published";
      it.publish_at.reset();
      it.published_at = now;
      PBGDPL_TRY(enqueue_public_jobs(c, id));
    }
    if (o.unpublish_at)
      if (auto j = storage::enqueue(c, kScheduleJob, std::to_string(id), *o.unpublish_at); !j) return j.take_error();
    it.review_note.clear();
    return {};
  });
}

Result<Item> Service::unpublish(const http::Principal& who, const accounts::Actor& a, int64_t id, int64_t v) {
  return transition(who, a, id, v, Permission::ApproveContent, "unpublish", [&](Conn& c, Item& it) -> Status {
    if (it.status != "published" && !(it.status == "approved" && it.publish_at)) return wrong_state(it, "đã xuất bản hoặc đã hẹn giờ");
    it.status = "unpublished";
    it.publish_at.reset();
    it.unpublish_at.reset();
    if (auto j = storage::enqueue(c, kIndexJob, std::to_string(id)); !j) return j.take_error();
    return {};
  });
}

Status Service::run_schedule(int64_t id) {
  accounts::Actor sys;
  sys.name = "lịch xuất bản";
  auto r = db_.write([&](Conn& c) -> Result<bool> {
    auto cur = store::by_id(c, id);
    if (!cur) return cur.take_error();
    if (!cur->has_value()) return false;
    Item it = **cur;
    const int64_t now = core::now_ms();
    json before = item_json(it);
    std::string action;
    if (it.status == "approved" && it.publish_at && *it.publish_at <= now + 1000) {
      it.status = "published";
      it.published_at = now;
      it.publish_at.reset();
      action = "publish";
      PBGDPL_TRY(enqueue_public_jobs(c, id));
    } else if (it.status == "published" && it.unpublish_at && *it.unpublish_at <= now + 1000) {
      it.status = "unpublished";
      it.unpublish_at.reset();
      action = "unpublish";
      if (auto j = storage::enqueue(c, kIndexJob, std::to_string(id)); !j) return j.take_error();
    } else {
      return false;  // cancelled, changed or not yet due: nothing to do (the job is idempotent)
    }
    it.updated_at = now;
    auto ok = store::update_if_version(c, it, it.version);
    if (!ok) return ok.take_error();
    it.version += 1;
    PBGDPL_TRY(accounts::Service::record(c, sys, "portal.item.scheduled_" + action, "portal_item", std::to_string(id), before, item_json(it)));
    return true;
  });
  if (!r) return r.take_error();
  return {};
}

Result<std::optional<Item>> Service::get(int64_t id) {
  return db_.read([&](Conn& c) { return store::by_id(c, id); });
}

Result<std::optional<ItemView>> Service::view(const std::string& slug, bool include_unpublished) {
  return db_.read([&](Conn& c) -> Result<std::optional<ItemView>> {
    auto it = store::by_slug(c, slug);
    if (!it) return it.take_error();
    if (!it->has_value() || (!include_unpublished && (*it)->status != "published")) return std::optional<ItemView>{};
    ItemView v;
    v.item = std::move(**it);
    auto attached = store::item_media_ids(c, v.item.id);
    if (!attached) return attached.take_error();
    auto media = store::media_by_ids(c, used_media(v.item, *attached));
    if (!media) return media.take_error();
    v.media = std::move(*media);
    auto tr = store::translations(c, v.item.source_id.value_or(v.item.id));
    if (!tr) return tr.take_error();
    for (auto& t : *tr)
      if (t.id != v.item.id) v.translations.push_back(std::move(t));
    if (v.item.source_id) {
      auto src = store::by_id(c, *v.item.source_id);
      if (!src) return src.take_error();
      if (src->has_value() && (*src)->status == "published") v.source = **src;
    }
    return std::optional<ItemView>(std::move(v));
  });
}

Result<ItemPage> Service::list(const ListQuery& q) {
  store::ListFilter f;
  f.kind = q.kind;
  f.format = q.format;
  f.category = q.category;
  f.audience = q.audience;
  f.topic = q.topic;
  f.language = q.language;
  f.org_code = q.org_code;
  f.featured_only = q.featured_only;
  int per = std::clamp(q.per_page, 1, 50);
  int page = std::clamp(q.page, 1, 10000);
  f.limit = per;
  f.offset = (page - 1) * per;
  return db_.read([&](Conn& c) -> Result<ItemPage> {
    ItemPage p;
    auto n = store::count(c, f);
    if (!n) return n.take_error();
    p.total = *n;
    p.page = page;
    p.pages = static_cast<int>(std::max<int64_t>(1, (p.total + per - 1) / per));
    auto items = store::list(c, f);
    if (!items) return items.take_error();
    p.items = std::move(*items);
    return p;
  });
}

Result<std::vector<Item>> Service::editorial_list(const http::Principal& who, const std::string& status, int limit) {
  auto tree = accounts_.org_tree();
  if (!tree) return tree.take_error();
  std::set<std::string> mine;
  for (const auto& o : *tree)
    if (accounts::Service::can(who, Permission::EditContent, o.path) || accounts::Service::can(who, Permission::ApproveContent, o.path))
      mine.insert(o.code);
  store::ListFilter f;
  f.public_only = false;
  f.status = status;
  f.limit = 1000;
  auto all = db_.read([&](Conn& c) { return store::list(c, f); });
  if (!all) return all.take_error();
  std::vector<Item> out;
  for (auto& it : *all)
    if (mine.count(it.org_code) && static_cast<int>(out.size()) < limit) out.push_back(std::move(it));
  return out;
}

Result<std::vector<Revision>> Service::revisions(int64_t id) {
  return db_.read([&](Conn& c) { return store::revisions(c, id); });
}

Result<std::vector<std::pair<std::string, int64_t>>> Service::topics(int limit) {
  return db_.read([&](Conn& c) { return store::topic_counts(c, limit); });
}

Result<std::vector<Item>> Service::all_published(int limit) {
  store::ListFilter f;
  f.limit = limit;
  return db_.read([&](Conn& c) { return store::list(c, f); });
}

// ---- media ---------------------------------------------------------------------------------

std::string Service::media_file(const Media& m, const std::string& variant) const {
  std::string rel = m.path;
  if (!variant.empty()) rel = rel.substr(0, rel.rfind('.')) + "-" + variant + ".webp";
  return opt_.data_dir + "/media/" + rel;
}

Result<Media> Service::upload(const http::Principal& who, const accounts::Actor& a, const std::string& filename,
                              std::string_view bytes, const std::string& alt, const std::string& transcript,
                              const std::string& org_code) {
  auto org = org_for(who, org_code);
  if (!org) return org.take_error();
  if (!accounts::Service::can(who, Permission::EditContent, org->path))
    return Error::of(ErrorCode::Forbidden, "Bạn không có quyền tải tệp lên cho " + org->name + ".");
  PBGDPL_TRY(check_text(filename, 200, "Tên tệp", "file"));
  PBGDPL_TRY(check_text(alt, 500, "Mô tả ảnh", "alt"));
  PBGDPL_TRY(check_text(transcript, 100000, "Lời thoại", "transcript"));
  auto checked = check_upload(filename, bytes);
  if (!checked) return checked.take_error();
  Media m;
  m.kind = checked->type.kind;
  m.mime = checked->type.mime;
  m.filename = fs::path(filename).filename().string();
  m.size = static_cast<int64_t>(bytes.size());
  m.sha256 = core::sha256_hex(bytes);
  m.path = m.sha256.substr(0, 2) + "/" + m.sha256 + "." + checked->type.ext;
  m.width = checked->image.width;
  m.height = checked->image.height;
  m.duration_ms = checked->duration_ms;
  m.alt = std::string(core::trim(alt));
  m.transcript = std::string(core::trim(transcript));
  m.org_code = org->code;
  m.author = a.name;
  m.created_at = core::now_ms();
  // The same file uploaded again by the same unit is the same library entry.
  auto dup = db_.read([&](Conn& c) { return store::media_by_sha(c, m.sha256, m.org_code); });
  if (!dup) return dup.take_error();
  if (dup->has_value()) return **dup;
  // Files first (temporary names, then renamed), the row last: a crash leaves at most an
  // unreferenced file, never a row without its file.
  std::vector<std::pair<fs::path, std::string>> files = {{media_file(m), std::string(bytes)}};
  if (m.kind == "image")
    for (int w : variant_widths()) {
      auto v = image_variant(bytes, w);
      if (!v) return v.take_error();
      files.emplace_back(media_file(m, "w" + std::to_string(w)), std::move(*v));
    }
  std::vector<fs::path> created;
  auto cleanup = [&] {
    std::error_code ec;
    for (const auto& p : created) fs::remove(p, ec);
  };
  for (const auto& [path, data] : files) {
    std::error_code ec;
    if (fs::exists(path, ec)) continue;  // same content stored for another unit
    fs::path tmp = path.string() + ".tmp" + core::random_hex(4);
    if (auto st = write_file(tmp, data); !st) {
      fs::remove(tmp, ec);
      cleanup();
      return st.take_error();
    }
    fs::rename(tmp, path, ec);
    if (ec) {
      fs::remove(tmp, ec);
      cleanup();
      return Error::of(ErrorCode::Internal, "Không lưu được tệp.");
    }
    created.push_back(path);
  }
  auto r = db_.write([&](Conn& c) -> Result<Media> {
    auto id = store::insert_media(c, m);
    if (!id) return id.take_error();
    m.id = *id;
    PBGDPL_TRY(accounts::Service::record(c, a, "portal.media.upload", "portal_media", std::to_string(m.id), nullptr,
                                         {{"filename", m.filename}, {"mime", m.mime}, {"size", m.size}, {"sha256", m.sha256}}));
    return m;
  });
  if (!r) cleanup();
  return r;
}

Result<Media> Service::update_media(const http::Principal& who, const accounts::Actor& a, int64_t id, const std::string& alt,
                                    const std::string& transcript) {
  PBGDPL_TRY(check_text(alt, 500, "Mô tả ảnh", "alt"));
  PBGDPL_TRY(check_text(transcript, 100000, "Lời thoại", "transcript"));
  return db_.write([&](Conn& c) -> Result<Media> {
    auto m = store::media_by_id(c, id);
    if (!m) return m.take_error();
    if (!m->has_value()) return Error::of(ErrorCode::NotFound, "Không tìm thấy tệp này trong thư viện.");
    auto org = accounts_.find_org((*m)->org_code);
    if (!org) return org.take_error();
    if (!accounts::Service::can(who, Permission::EditContent, org->has_value() ? (*org)->path : ""))
      return Error::of(ErrorCode::Forbidden, "Bạn không có quyền sửa tệp của đơn vị khác.");
    Media x = **m;
    json before = {{"alt", x.alt}, {"transcript", x.transcript.size()}};
    x.alt = std::string(core::trim(alt));
    x.transcript = std::string(core::trim(transcript));
    PBGDPL_TRY(store::update_media_text(c, id, x.alt, x.transcript));
    PBGDPL_TRY(accounts::Service::record(c, a, "portal.media.update", "portal_media", std::to_string(id), before,
                                         {{"alt", x.alt}, {"transcript", x.transcript.size()}}));
    return x;
  });
}

Result<std::optional<Media>> Service::media(int64_t id) {
  return db_.read([&](Conn& c) { return store::media_by_id(c, id); });
}

Result<std::vector<Media>> Service::media_list(int page) {
  int p = std::clamp(page, 1, 10000);
  return db_.read([&](Conn& c) { return store::media_list(c, (p - 1) * 50, 50); });
}

// ---- read aloud ----------------------------------------------------------------------------

Status Service::synthesize(int64_t id) {
  auto got = get(id);
  if (!got) return got.take_error();
  if (!got->has_value()) return {};
  const Item& it = **got;
  if (it.status != "published" || it.audio_media_id) return {};  // a human recording replaces the voice
  std::string text = it.title + ".\n";
  if (!it.summary.empty()) text += it.summary + "\n";
  for (const auto& page : split_pages(it.body)) text += markdown_text(page) + "\n";
  if (text.size() > 60000) text.resize(60000);  // about an hour of speech
  while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80) text.pop_back();
  if (!text.empty() && static_cast<unsigned char>(text.back()) >= 0xC0) text.pop_back();
  const std::string hash = core::sha256_hex("espeak-ng vi s150 opus24|" + text).substr(0, 32);
  const std::string rel = "tts/" + hash + ".opus";
  std::error_code ec;
  if (it.tts_hash == hash && fs::exists(tts_file(rel), ec)) return {};
  if (!fs::exists(tts_file(rel), ec)) {
    fs::create_directories(opt_.data_dir + "/tts", ec);
    const std::string base = opt_.data_dir + "/tts/." + hash + "-" + core::random_hex(4);
    PBGDPL_TRY(write_file(base + ".txt", text));
    auto clean = [&] {
      fs::remove(base + ".txt", ec);
      fs::remove(base + ".wav", ec);
      fs::remove(base + ".opus", ec);
    };
    if (run_program({opt_.espeak, "-v", "vi", "-s", "150", "-f", base + ".txt", "-w", base + ".wav"}) != 0) {
      clean();
      return Error::of(ErrorCode::Unavailable, "espeak-ng không tạo được giọng đọc.");
    }
    if (run_program({opt_.opusenc, "--quiet", "--speech", "--bitrate", "24", base + ".wav", base + ".opus"}) != 0) {
      clean();
      return Error::of(ErrorCode::Unavailable, "opusenc không mã hóa được giọng đọc.");
    }
    fs::rename(base + ".opus", tts_file(rel), ec);
    clean();
    if (ec) return Error::of(ErrorCode::Internal, "Không lưu được tệp giọng đọc.");
  }
  return db_.write([&](Conn& c) -> Status { return store::set_tts(c, id, rel, hash); });
}

// ---- satisfaction --------------------------------------------------------------------------

Status Service::rate(const accounts::Actor& a, const RatingInput& in) {
  if (in.score.size() != 1 || in.score[0] < '1' || in.score[0] > '5')
    return invalid("Hãy chọn mức đánh giá từ 1 (không hữu ích) đến 5 (rất hữu ích).", "score");
  PBGDPL_TRY(check_text(in.comment, 1000, "Góp ý", "comment"));
  if (in.path.empty() || in.path.front() != '/' || in.path.starts_with("//") || in.path.size() > 300 ||
      !core::utf8_valid(in.path) || core::has_control_chars(in.path))
    return invalid("Trang được đánh giá không hợp lệ.", "path");
  Rating r;
  r.path = in.path.substr(0, in.path.find_first_of("?#"));
  r.score = in.score[0] - '0';
  r.comment = std::string(core::trim(in.comment));
  r.created_at = core::now_ms();
  r.month = month_of(r.created_at);
  const std::string client = core::hmac_sha256_hex(accounts_.secret(), "rating|" + in.client).substr(0, 32);
  return db_.write([&](Conn& c) -> Status {
    if (in.item_id) {
      auto it = store::by_id(c, *in.item_id);
      if (!it) return it.take_error();
      if (!it->has_value() || (*it)->status != "published") return Error::of(ErrorCode::NotFound, "Không tìm thấy bài được đánh giá.");
      r.item_id = in.item_id;
      r.org_code = (*it)->org_code;
    }
    auto recent = store::ratings_since(c, client, r.created_at - 3600'000);
    if (!recent) return recent.take_error();
    if (*recent >= opt_.ratings_per_hour)
      return Error::of(ErrorCode::TooManyRequests, "Bạn đã gửi nhiều đánh giá trong một giờ qua. Vui lòng thử lại sau.");
    auto same = store::ratings_of_path_since(c, client, r.path, r.created_at - 24 * 3600'000LL);
    if (!same) return same.take_error();
    if (*same > 0) return Error::of(ErrorCode::Conflict, "Bạn đã đánh giá trang này hôm nay. Cảm ơn bạn đã góp ý!");
    auto id = store::insert_rating(c, r, client);
    if (!id) return id.take_error();
    return accounts::Service::record(c, a, "portal.rating", "portal_rating", std::to_string(*id), nullptr,
                                     {{"path", r.path}, {"score", r.score}, {"comment", !r.comment.empty()}});
  });
}

Result<RatingReport> Service::rating_report(const http::Principal& who) {
  if (!accounts::Service::can_somewhere(who, Permission::ApproveContent) && !accounts::Service::can_somewhere(who, Permission::Moderate))
    return Error::of(ErrorCode::Forbidden, "Chỉ người duyệt nội dung hoặc quản trị được xem kết quả đánh giá.");
  return db_.read([&](Conn& c) -> Result<RatingReport> {
    RatingReport rep;
    auto m = store::rating_stats(c, "month", 12);
    if (!m) return m.take_error();
    rep.by_month = std::move(*m);
    std::reverse(rep.by_month.begin(), rep.by_month.end());
    auto i = store::rating_stats(c, "item", 20);
    if (!i) return i.take_error();
    rep.by_item = std::move(*i);
    auto o = store::rating_stats(c, "org", 50);
    if (!o) return o.take_error();
    rep.by_org = std::move(*o);
    auto cm = store::recent_comments(c, 30);
    if (!cm) return cm.take_error();
    rep.comments = std::move(*cm);
    double sum = 0;
    for (const auto& s : rep.by_month) {
      rep.total.count += s.count;
      rep.total.satisfied += s.satisfied;
      sum += s.average * static_cast<double>(s.count);
    }
    rep.total.average = rep.total.count ? sum / static_cast<double>(rep.total.count) : 0;
    return rep;
  });
}

// ---- search and directory -------------------------------------------------------------------

Status Service::index_item(int64_t id) {
  if (!index_) return {};
  auto got = get(id);
  if (!got) return got.take_error();
  const std::string key = "p:" + std::to_string(id);
  PBGDPL_TRY(index_->remove(key));
  if (got->has_value() && (*got)->status == "published") {
    const Item& it = **got;
    std::string body;
    for (const auto& page : split_pages(it.body)) body += markdown_text(page) + "\n";
    search::IndexDoc d;
    d.id = key;
    d.group = key;
    d.group_title = it.title;
    std::string topics;
    for (const auto& t : it.topics) topics += t + ". ";
    d.fields = {{it.title, 3}, {it.summary + " " + topics, 2}, {body, 1}};
    d.facets = {{"kind", it.kind}, {"format", it.format}, {"language", it.language}, {"category", it.category}, {"org", it.org_code}};
    d.date = it.published_at.value_or(it.updated_at) / 1000;
    d.payload = json({{"id", it.id},
                      {"title", it.title},
                      {"href", "/" + std::string(kind_path(it.kind)) + "/" + it.slug},
                      {"kind", it.kind},
                      {"format", it.format},
                      {"org_name", it.org_name},
                      {"summary", it.summary}})
                    .dump(-1, ' ', false, json::error_handler_t::replace);
    d.snippet_text = it.summary.empty() ? body.substr(0, 2000) : it.summary + "\n" + body.substr(0, 2000);
    PBGDPL_TRY(index_->put(d));
  }
  return index_->commit();
}

Result<size_t> Service::reindex() {
  if (!index_) return Error::of(ErrorCode::Unavailable, "Chưa có chỉ mục tìm kiếm.");
  auto ids = db_.read([&](Conn& c) { return store::published_ids(c); });
  if (!ids) return ids.take_error();
  PBGDPL_TRY(index_->clear());
  PBGDPL_TRY(index_->commit());
  for (auto id : *ids) PBGDPL_TRY(index_item(id));
  return ids->size();
}

Result<search::Results> Service::search(const std::string& q, const std::string& kind, size_t offset, size_t limit) {
  if (!index_) return Error::of(ErrorCode::Unavailable, "Tìm kiếm tạm thời không khả dụng.");
  search::Query sq;
  sq.text = q;
  if (!kind.empty()) sq.filters["kind"] = {kind};
  sq.offset = offset;
  sq.limit = std::clamp<size_t>(limit, 1, 50);
  sq.facets = {"kind", "format"};
  return index_->search(sq);
}

Status Service::check_links() {
  auto tree = accounts_.org_tree();
  if (!tree) return tree.take_error();
  for (const auto& o : *tree) {
    if (o.portal_url.empty()) continue;
    store::LinkCheck l;
    l.org_code = o.code;
    l.url = o.portal_url;
    l.checked_at = core::now_ms();
    if (!(o.portal_url.starts_with("http://") || o.portal_url.starts_with("https://"))) {
      l.status = "địa chỉ không hợp lệ";
    } else {
      // curl (a Debian package the project installs) speaks HTTP and TLS; no shell involved.
      std::string code;
      int rc = run_program({"curl", "-s", "-o", "/dev/null", "-L", "--max-redirs", "3", "-w", "%{http_code}", "--max-time",
                            std::to_string(std::max<int64_t>(1, opt_.link_timeout_ms / 1000)), "--", o.portal_url},
                           &code);
      int http = std::atoi(code.c_str());
      l.ok = rc == 0 && http >= 200 && http < 400;
      l.status = rc == 0 ? "HTTP " + code : rc == 28 ? "quá thời gian chờ" : rc == 6 ? "không phân giải được tên miền"
                 : rc == 7 ? "không kết nối được" : "lỗi kết nối (curl " + std::to_string(rc) + ")";
    }
    PBGDPL_TRY(db_.write([&](Conn& c) -> Status { return store::put_link_check(c, l); }));
  }
  return {};
}

Status Service::ensure_link_job() {
  auto r = db_.write([&](Conn& c) -> Result<int64_t> {
    auto pending = c.one("SELECT 1 FROM jobs WHERE kind = ? AND status IN ('queued', 'running')", {std::string(kLinksJob)});
    if (!pending) return pending.take_error();
    if (pending->has_value()) return int64_t{0};
    return storage::enqueue(c, kLinksJob, "", core::now_ms() + 60'000);
  });
  if (!r) return r.take_error();
  return {};
}

Result<std::vector<std::pair<std::string, std::pair<bool, std::string>>>> Service::link_status() {
  auto checks = db_.read([&](Conn& c) { return store::link_checks(c); });
  if (!checks) return checks.take_error();
  std::vector<std::pair<std::string, std::pair<bool, std::string>>> out;
  for (const auto& l : *checks)
    out.push_back({l.org_code, {l.ok, l.status + " · " + core::vn_datetime(l.checked_at)}});
  return out;
}

}  // namespace pbgdpl::portal
