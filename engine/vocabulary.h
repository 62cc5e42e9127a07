#pragma once
// The closed vocabularies of the API contract (api.md): programs, entity types, person categories
// and evidence kinds. Each is a small enum with its wire name; sets of them are bitmasks so that
// rule conditions such as `"poor_laborer" in person.categories` cost one AND.

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace subsidy {

enum class Program : std::uint8_t { work_for_training, pre_job_training, project_training };
enum class EntityType : std::uint8_t {
  enterprise, farmer_cooperative, poverty_workshop, other_business_entity, training_institution
};
enum class Category : std::uint8_t {
  poor_laborer, employment_difficult, zero_employment_family, decapacity_unemployed, veteran,
  rural_migrant, unemployed_registered, two_after_graduate, disabled, college_graduate,
  enterprise_employee, other
};
enum class EvidenceKind : std::uint8_t {
  roster, labour_contract, wage_records, social_insurance, training_record, class_plan,
  assessment_results, attendance, other
};
// Whose history a cap or an exclusion looks at: the person everywhere, or the person at this entity.
enum class Scope : std::uint8_t { person, person_entity };
// What a failing check does to a line when a parameter chooses (sys.category_unverified_effect):
// hold it for a clerk, or reject it.
enum class LineEffect : std::uint8_t { needs_review, rejected };
// What comparing a project class line with the class filing its claim names found (sys.class_filed),
// the first that applies in this order.
enum class FilingFinding : std::uint8_t {
  ok, no_class_id, not_filed, another_institution, another_project, dates_differ, filed_late, not_on_roster
};

// The wire names, indexed by enum value.
inline constexpr std::array<std::string_view, 3> program_names = {
    "work_for_training", "pre_job_training", "project_training"};
inline constexpr std::array<std::string_view, 5> entity_type_names = {
    "enterprise", "farmer_cooperative", "poverty_workshop", "other_business_entity",
    "training_institution"};
inline constexpr std::array<std::string_view, 12> category_names = {
    "poor_laborer", "employment_difficult", "zero_employment_family", "decapacity_unemployed",
    "veteran", "rural_migrant", "unemployed_registered", "two_after_graduate", "disabled",
    "college_graduate", "enterprise_employee", "other"};
inline constexpr std::array<std::string_view, 9> evidence_kind_names = {
    "roster", "labour_contract", "wage_records", "social_insurance", "training_record",
    "class_plan", "assessment_results", "attendance", "other"};
inline constexpr std::array<std::string_view, 2> scope_names = {"person", "person_entity"};
inline constexpr std::array<std::string_view, 2> line_effect_names = {"needs_review", "rejected"};
inline constexpr std::array<std::string_view, 8> filing_finding_names = {
    "ok", "no_class_id", "not_filed", "another_institution", "another_project", "dates_differ", "filed_late",
    "not_on_roster"};
// How a reason says each finding (message arguments), in English and in Chinese.
inline constexpr std::array<std::string_view, 8> filing_finding_texts = {
    "the filing matches the claim", "the claim names no class_id", "no class of that class_id is filed",
    "the class was filed by another institution", "the class was filed for another project",
    "the class was filed with other dates", "the class was filed too late",
    "the trainee is not on the filed roster"};
inline constexpr std::array<std::string_view, 8> filing_finding_texts_zh = {
    "备案与申报一致", "申报未填写开班备案编号", "未查到该开班备案", "该班次由其他培训机构备案", "该班次备案的培训项目与申报不同",
    "该班次备案的培训日期与申报不一致", "开班备案时间晚于规定", "该学员不在开班备案花名册内"};

// Chinese names, for message_zh (the clerks read Chinese).
inline constexpr std::array<std::string_view, 3> program_names_zh = {"以工代训补贴", "新录用人员岗前技能培训补贴", "项目制培训补贴"};
inline constexpr std::array<std::string_view, 5> entity_type_names_zh = {"企业", "农民专业合作社", "扶贫车间", "其他生产经营主体", "培训机构"};
inline constexpr std::array<std::string_view, 12> category_names_zh = {
    "建档立卡贫困劳动力", "就业困难人员", "零就业家庭成员", "去产能失业人员", "退役军人", "农村转移就业劳动者",
    "城镇登记失业人员", "两后生", "残疾人", "离校未就业高校毕业生", "企业在岗职工", "其他"};
inline constexpr std::array<std::string_view, 9> evidence_kind_names_zh = {
    "花名册", "劳动合同", "工资发放记录", "社保缴费记录", "培训记录", "培训计划", "考核结果", "培训台账", "其他材料"};

template <class Enum> struct VocabularyTraits;
template <> struct VocabularyTraits<Program> { static constexpr const auto& names = program_names; };
template <> struct VocabularyTraits<EntityType> { static constexpr const auto& names = entity_type_names; };
template <> struct VocabularyTraits<Category> { static constexpr const auto& names = category_names; };
template <> struct VocabularyTraits<EvidenceKind> { static constexpr const auto& names = evidence_kind_names; };
template <> struct VocabularyTraits<Scope> { static constexpr const auto& names = scope_names; };
template <> struct VocabularyTraits<LineEffect> { static constexpr const auto& names = line_effect_names; };
template <> struct VocabularyTraits<FilingFinding> { static constexpr const auto& names = filing_finding_names; };

template <class Enum>
constexpr std::string_view name_of(Enum e) {
  return VocabularyTraits<Enum>::names[static_cast<std::size_t>(e)];
}

template <class Enum>
constexpr std::optional<Enum> parse_enum(std::string_view text) {
  const auto& names = VocabularyTraits<Enum>::names;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == text) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

// A set of enum values as a bitmask (every vocabulary has fewer than 64 members).
template <class Enum>
class EnumSet {
 public:
  constexpr EnumSet() = default;
  static constexpr EnumSet from_bits(std::uint64_t bits) { EnumSet s; s.bits_ = bits; return s; }
  constexpr void insert(Enum e) { bits_ |= bit(e); }
  constexpr bool contains(Enum e) const { return (bits_ & bit(e)) != 0; }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr std::uint64_t bits() const { return bits_; }
  constexpr bool operator==(const EnumSet&) const = default;

 private:
  static constexpr std::uint64_t bit(Enum e) { return std::uint64_t{1} << static_cast<unsigned>(e); }
  std::uint64_t bits_ = 0;
};

using CategorySet = EnumSet<Category>;
using EntityTypeSet = EnumSet<EntityType>;
using EvidenceKindSet = EnumSet<EvidenceKind>;

}  // namespace subsidy
