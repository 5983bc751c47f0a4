"""The standing office's prose of the Q3/2025 report, by outline section: the signed report's own
sentences (../shared/seeds/004_…), entered in the composer's markup (documents.composer.prose).
Every figure the data holds is a token ({{key:name}}), so the sentence states the current figure;
figures the data does not hold (the storm's damage, "gần 6.000" terminals) stay as the office
wrote them. Sections without prose here (the task statistics) print their computed blocks.
"""

from __future__ import annotations

COMMUNES = "{{communes.KH02-GD1:complete}}/{{communes.KH02-GD1:assigned}}"
KH02_TASKS = "{{communes.KH02-GD1:tasks}}/{{communes.KH02-GD1:tasks}}"
ACHIEVED = "indicators.achievement"
PARTY = "tasks.party"

Q3_2025: dict[str, str] = {
    "ket-qua": (
        "Trong Quý III năm 2025, tỉnh Nghệ An liên tiếp chịu ảnh hưởng của các cơn bão lớn (bão "
        "số 3, số 5 và số 10), gây thiệt hại nặng nề về tài sản, đặc biệt là hạ tầng viễn thông, "
        "trang thiết bị kỹ thuật và các điều kiện thiết yếu phục vụ công tác chuyển đổi số tại "
        "nhiều địa phương, cơ quan, đơn vị. Công tác khắc phục đòi hỏi nguồn lực lớn và thời gian "
        "dài. Tuy nhiên, trong bối cảnh còn nhiều khó khăn, Tỉnh ủy vẫn quyết liệt lãnh đạo, chỉ "
        "đạo triển khai thực hiện Nghị quyết số 57-NQ/TW về đột phá khoa học, công nghệ, đổi mới "
        "sáng tạo và chuyển đổi số, đạt được một số kết quả sau:"
    ),
    "ket-qua-dat-duoc": "\n".join(
        [
            "(#) Đã cụ thể hóa các nhiệm vụ theo Nghị quyết số 57-NQ/TW, các kế hoạch, thông báo "
            "kết luận thành các nhóm nhiệm vụ cụ thể, phù hợp tình hình thực tế của địa phương. "
            "Các nhiệm vụ cơ bản được triển khai đúng tiến độ, thực chất, có sự vào cuộc quyết "
            "liệt của các cơ quan, tổ chức, đơn vị, các xã, phường, gắn với trách nhiệm của người "
            "đứng đầu trong công tác lãnh đạo, chỉ đạo thực hiện.",
            "(#) Tiếp tục hoàn thiện bộ máy để lãnh đạo, chỉ đạo triển khai thực hiện Nghị quyết "
            "số 57-NQ/TW (thành lập Tổ Giúp việc Ban Chỉ đạo; Tiểu Ban Chỉ đạo về phát triển khoa "
            "học, công nghệ, đổi mới sáng tạo và chuyển đổi số trong các cơ quan đảng tỉnh); các "
            "cơ quan, đơn vị đã tập trung thực hiện nhiệm vụ theo tiến độ "
            "({{indicator.CDDH_SO_KH:rounded}} sở, ban, ngành; "
            "{{indicator.CDDH_XA_BCD:rounded}} đơn vị cấp xã đã thành lập Ban Chỉ đạo và xây "
            "dựng kế hoạch).",
            "(#) Công tác tuyên truyền tiếp tục được đẩy mạnh với nhiều nội dung chuyên đề, chuyên "
            "trang trên nhiều hình thức (báo giấy, báo hình, báo điện tử,...). Công tác tập huấn, "
            "hướng dẫn tiếp tục được đẩy mạnh, nhất là công tác hướng dẫn nâng cao năng lực cho "
            "cán bộ, công chức cấp xã thực hiện nhiệm vụ theo mô hình chính quyền địa phương 2 "
            "cấp.",
            f"(#) Hoàn thành giai đoạn 1 thực hiện Kế hoạch số 02-KH/BCĐTW với kết quả {COMMUNES} "
            f"xã hoàn thành {KH02_TASKS} nhiệm vụ (đạt {{{{communes.KH02-GD1:share}}}}), được "
            "Trung tâm Chỉ huy Trung ương xác nhận trạng thái “XANH”, đứng thứ "
            "{{indicator.HT_XH_KH02:value}} toàn quốc.",
            "(#) Các nhiệm vụ về khoa học, công nghệ, đổi mới sáng tạo từng bước được triển khai "
            "và bước đầu đạt một số kết quả cụ thể: Ban hành và triển khai các kế hoạch về phát "
            "động phong trào thi đua; phê duyệt Chương trình nghiên cứu, ứng dụng khoa học, công "
            "nghệ và đổi mới sáng tạo, trọng tâm phục vụ phát triển kinh tế - xã hội; xác định "
            "các chương trình nhiệm vụ khoa học, công nghệ năm 2025, 2026 với một số nội dung gắn "
            "với yêu cầu của tỉnh; triển khai tích cực chương trình khởi nghiệp đổi mới sáng tạo "
            "năm thứ 9 (Techfest Open 2025); vận hành thử nghiệm IOC tỉnh Nghệ An trong tháng "
            "9/2025;...",
            f"(#) Tính đến hết Quý III, đã đạt và vượt {{{{{ACHIEVED}:met_2025-2045}}}}/"
            f"{{{{{ACHIEVED}:size_2025-2045}}}} chỉ tiêu trong giai đoạn 2025-2045 (tương đương "
            f"{{{{{ACHIEVED}:share_2025-2045}}}}); đạt và vượt {{{{{ACHIEVED}:met_2025}}}}/"
            f"{{{{{ACHIEVED}:size_2025}}}} chỉ tiêu (đạt {{{{{ACHIEVED}:share_2025}}}}) của năm "
            "2025.",
            f"(#) Chuyển đổi số trong các cơ quan Đảng và MTTQ đạt được những kết quả quan trọng "
            f"bước đầu, với {{{{{PARTY}:completed}}}}/{{{{{PARTY}:total}}}} nhiệm vụ trong năm "
            f"2025 đã hoàn thành; {{{{{PARTY}:recurring}}}}/{{{{{PARTY}:total}}}} nhiệm vụ thực "
            f"hiện thường xuyên; {{{{{PARTY}:in_progress}}}}/{{{{{PARTY}:total}}}} nhiệm vụ đang "
            f"triển khai theo tiến độ và {{{{{PARTY}:not_started}}}}/{{{{{PARTY}:total}}}} nhiệm "
            "vụ sẽ triển khai trong Quý IV.",
        ]
    ),
    "han-che": "\n".join(
        [
            "Bên cạnh những kết quả đạt được, còn tồn tại một số hạn chế ảnh hưởng đến tiến độ, "
            "chất lượng thực hiện Nghị quyết số 57-NQ/TW, cụ thể:",
            "(#) Một số nhiệm vụ trong các kế hoạch thực hiện Nghị quyết số 57-NQ/TW chưa được "
            "các cấp, các ngành cụ thể hóa, nhất là các nhiệm vụ chung; chưa xây dựng triển khai "
            "các công việc cụ thể, theo tinh thần 5 rõ “rõ người, rõ việc, rõ trách nhiệm, rõ "
            "thời gian, rõ kết quả”.",
            "(#) Các nhiệm vụ về khoa học, công nghệ và đổi mới sáng tạo chưa rõ nét, các kết "
            "quả triển khai mang tính chất đột phá chưa thể hiện cụ thể.",
            "(#) Mặc dù tỉnh Nghệ An đã hoàn thành tốt các nhiệm vụ cấp bách và đột phá giai đoạn "
            "1 về chuyển đổi số, phục vụ chính quyền địa phương 2 cấp; tuy nhiên, vẫn còn nhiều "
            "nhiệm vụ cần được quyết liệt triển khai, nhất là hoàn thiện hạ tầng số, dữ liệu số, "
            "các tiện ích số phục vụ người dân và nhân lực số đảm bảo hoạt động chính quyền địa "
            "phương 2 cấp.",
            "[[tasks.year_backlog]]",
            "(#) Công tác triển khai thực hiện và báo cáo tình hình thực hiện của các cơ quan khối "
            "Đảng, Hội đồng nhân dân, Ủy ban Mặt trận Tổ quốc trên Hệ thống giám sát, đánh giá "
            "tình hình thực hiện Nghị quyết số 57-NQ/TW chưa được quan tâm đúng mức, nhất là ở "
            "địa phương; chủ yếu đang ở trạng thái “ĐỎ” và “VÀNG”.",
        ]
    ),
    "ban-chi-dao": "\n".join(
        [
            "[[directives]]",
            "Đã tổ chức 02 cuộc làm việc trực tiếp, trực tuyến với các địa phương do Tỉnh ủy, "
            "UBND tỉnh thực hiện. Thành lập Tổ Công tác Liên ngành Giám sát, Hỗ trợ triển khai Kế "
            "hoạch số 02-KH/BCĐTW và tổ chức các Đoàn làm việc. Làm việc trực tiếp 09 đợt do các "
            "đồng chí Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh, Phó Chủ tịch UBND tỉnh, Giám đốc các sở, "
            "ngành làm Trưởng đoàn. Cơ quan thường trực của Ban Chỉ đạo gồm: Văn phòng Tỉnh ủy, Sở "
            "Khoa học và Công nghệ, Văn phòng UBND tỉnh, Công an tỉnh, Sở Nội vụ thường xuyên, "
            "thường trực 24/24 giờ để hỗ trợ từ xa cho địa phương, nhất là trong giai đoạn đầu vận "
            "hành chính quyền địa phương 2 cấp; đồng thời thực hiện nhiệm vụ đôn đốc, tổng hợp "
            "báo cáo theo giờ, theo ngày tình hình thực hiện để báo cáo Ban Chỉ đạo, Tổ Công tác.",
        ]
    ),
    "nhan-thuc": "\n".join(
        [
            "- {{indicator.NTNT_QT:rounded}} các ban, sở, ngành, địa phương đã quán triệt, tuyên "
            "truyền nâng cao nhận thức, quyết tâm triển khai thực hiện các nhiệm vụ theo Nghị "
            "quyết số 57-NQ/TW, các kế hoạch, chương trình của tỉnh; tham gia đầy đủ các hội nghị "
            "quán triệt của Trung ương, của tỉnh; các cuộc họp của Ban Thường vụ Tỉnh ủy, Ban Chỉ "
            "đạo tỉnh, Đảng ủy UBND tỉnh và UBND tỉnh để triển khai thực hiện. Quý III cũng ghi "
            "nhận sự vào cuộc quyết liệt của các đồng chí lãnh đạo tỉnh, các ban, sở, ngành và "
            "xã, phường đối với thực hiện các nhiệm vụ theo Nghị quyết số 57-NQ/TW, từ ban hành "
            "văn bản lãnh đạo, chỉ đạo, đến kiểm tra, đôn đốc trực tiếp tại cơ sở, hỗ trợ trực "
            "tuyến 24/24 giờ của cán bộ, công chức cấp tỉnh đối với cấp xã và trang cấp các thiết "
            "bị số phục vụ hoạt động chính quyền địa phương 2 cấp.",
            "- Các tổ chức đảng trực thuộc đã đưa nội dung về phát triển khoa học, công nghệ, đổi "
            "mới sáng tạo và chuyển đổi số vào văn kiện đại hội đảng; cụ thể hóa thành nhiệm vụ, "
            "giải pháp và xác định là khâu đột phá để phát triển kinh tế nhanh và bền vững, thể "
            "hiện quyết tâm chính trị cao trong triển khai thực hiện Nghị quyết số 57-NQ/TW.",
            "- Tỉnh tiếp tục quan tâm lãnh đạo xây dựng chương trình chuyên biệt về khoa học, công "
            "nghệ, đổi mới sáng tạo và chuyển đổi số, tích cực lan tỏa trong toàn xã hội về ý "
            "nghĩa, tầm quan trọng về thực hiện Nghị quyết số 57-NQ/TW tại địa phương.",
            "- Công tác tập huấn đã được các ban, sở, ngành quan tâm triển khai hiệu quả cho địa "
            "phương. Công tác tuyên truyền, phổ biến được triển khai thường xuyên liên tục qua "
            "nhiều kênh: báo, đài, thông tin cơ sở, mạng viễn thông, mạng xã hội... góp phần nâng "
            "cao nhận thức, quyết tâm chính trị cho cán bộ, công chức, viên chức cấp xã.",
            "- Phong trào bình dân học vụ số tiếp tục được các ban, sở, ngành, địa phương triển "
            "khai; trong đó các địa phương cơ bản đã ban hành kế hoạch và tổ chức thực hiện.",
        ]
    ),
    "the-che": "\n".join(
        [
            "Ủy ban nhân dân tỉnh đã phê duyệt Chương trình nghiên cứu, ứng dụng khoa học, công "
            "nghệ và đổi mới sáng tạo trọng tâm phục vụ phát triển kinh tế - xã hội nhanh và bền "
            "vững trên địa bàn tỉnh Nghệ An giai đoạn 2026 - 2030[^Theo Quyết định số "
            "2797/QĐ-UBND ngày 29/8/2025 của Ủy ban nhân dân tỉnh Nghệ An.].",
            "Tiếp tục dự thảo và xây dựng các quy định pháp luật có liên quan về khoa học, công "
            "nghệ, đổi mới sáng tạo và chuyển đổi số theo tiến độ ban hành văn bản của Trung ương. "
            "Tiếp tục nghiên cứu ban hành các thể chế, chính sách, quy định về cơ chế hỗ trợ nhân "
            "lực kiêm nhiệm thực hiện nhiệm vụ chuyển đổi số tại cấp xã; quy trình thực hiện đối "
            "với các nhóm hình thức đầu tư, mua sắm, xây dựng, thuê dịch vụ công nghệ thông tin "
            "theo quy định.",
        ]
    ),
    "ha-tang-ket-qua": "\n".join(
        [
            "- Đối với các hạ tầng số chung (viễn thông, internet, dữ liệu, hệ thống IoT), Ủy ban "
            "nhân dân tỉnh tiếp tục chỉ đạo các cơ quan, đơn vị, doanh nghiệp thực hiện theo Kế "
            "hoạch số 671/KH-UBND ngày 11/9/2023 của UBND tỉnh về phát triển Hạ tầng số tỉnh Nghệ "
            "An giai đoạn 2023-2025.",
            "- Quý III, tập trung chỉ đạo triển khai và hỗ trợ tháo gỡ khó khăn, khắc phục các "
            "kiến nghị của địa phương về hệ thống mạng phục vụ công tác chỉ đạo, điều hành theo mô "
            "hình chính quyền địa phương 2 cấp, nhất là triển khai quyết liệt và hiệu quả, đúng "
            "tiến độ 05 hệ thống thông tin quan trọng theo chỉ đạo của Trung ương.",
            f"- Đến ngày 08/9/2025, Trung tâm Chỉ huy Trung ương xác nhận {COMMUNES} xã, phường "
            f"của Nghệ An hoàn thành {KH02_TASKS} nhiệm vụ (đạt {{{{communes.KH02-GD1:share}}}}) "
            "về hạ tầng, thiết bị cơ bản phục vụ tại Trung tâm phục vụ hành chính công (xếp thứ "
            "{{indicator.HT_XH_KH02:value}} toàn quốc).",
            "- Các nền tảng kỹ thuật được quan tâm nâng cấp: Băng thông đường truyền số liệu "
            "chuyên dùng tăng 5 lần (cấp xã từ 02Mbps lên 10Mbps; cấp tỉnh từ 10Mbps lên "
            "{{indicator.HT_BT_TINH:value}}Mbps); tốc độ Internet tại cấp xã đáp ứng yêu cầu vận "
            "hành các hệ thống thông tin; phủ sóng mạng 4G, hiện đang duy trì phủ sóng "
            "{{indicator.HT_4G:value}} dân số; tỷ lệ phủ sóng 5G tăng từ 10% lên "
            "{{indicator.HT_5G:value}} dân số (tăng 10% so với tháng 7/2025).",
            "- Đã vận hành thử nghiệm Trung tâm Giám sát, điều hành thông minh Nghệ An (IOC), sẽ "
            "đưa vào khai thác vận hành trong thời gian tới sau khi hoàn thiện các vấn đề pháp lý.",
            "- Đã xây dựng dự thảo Kế hoạch phát triển 5G và IoT trong các khu công nghiệp, dự "
            "kiến ban hành trong tháng 10/2025.",
        ]
    ),
    "ha-tang-kho-khan": "\n".join(
        [
            "- Trong Quý III tỉnh Nghệ An vừa quyết liệt thực hiện các nhiệm vụ theo tiến độ yêu "
            "cầu về hạ tầng số; vừa tập trung khôi phục hạ tầng viễn thông bị ảnh hưởng bởi thiên "
            "tai. Tính đến 17h00, ngày 02/10/2025, tình hình thiệt hại trên địa bàn tỉnh là:",
            "+ Đứt cáp quang trục: 16 tuyến, cáp quang nhánh: 27 tuyến.",
            "+ Số trạm mất điện AC: 54% vị trí CSHT",
            "+ Số trạm MLL: {{indicator.HT_MLL:value}} số CSHT",
            "+ Thuê bao: Internet khách hàng đang khôi phục dần theo tiến độ khôi phục của điện "
            "lực tại các địa phương chịu ảnh hưởng của các cơn bão như địa bàn Vinh, Quế Phong, "
            "Con Cuông, Quỳnh Hợp, Quỳnh Lưu, Kỳ Sơn, Diễn Châu, Yên Thành,... (cũ trước đây).",
            "- Mất điện diện rộng tại nhiều địa phương làm gián đoạn liên lạc, không đáp ứng các "
            "điều kiện thiết yếu, ảnh hưởng đến công tác lãnh đạo, chỉ đạo và tiến độ giải quyết "
            "công việc.",
            "- Mưa lớn trên địa bàn toàn tỉnh, nước dâng cao ở nhiều địa bàn, đặc biệt các tuyến "
            "đường QL7, QL48,... nhiều điểm ngập sâu, sạt lở gây rất nhiều khó khăn trong việc "
            "khôi phục liên lạc. Đến nay, một số khu vực trên địa bàn tỉnh, nước vẫn ngập sâu nên "
            "chưa tiếp cận được để xử lý sự cố viễn thông.",
        ]
    ),
    "nen-tang": "\n".join(
        [
            "Vận hành ổn định {{indicator.NTS_NTDC:value}} nền tảng số dùng chung phục vụ chính "
            "quyền số, trong đó có 05 hệ thống thông tin quan trọng phục vụ chính quyền địa "
            "phương 2 cấp hoạt động ổn định, thông suốt, liên tục từ ngày 01/7/2025. Các hệ thống "
            "thông tin chuyên ngành khác tiếp tục được khai thác, duy trì theo ngành dọc. Các nền "
            "tảng cơ bản đáp ứng yêu cầu hoạt động trên môi trường điện tử trong hệ thống cơ quan "
            "Đảng, cơ quan Nhà nước, Mặt trận Tổ quốc và các tổ chức chính trị - xã hội. Đối với "
            "nền tảng số trong cơ quan Đảng tiếp tục được triển khai kết nối liên thông với Trung "
            "ương; liên thông với các hệ thống thông tin của chính quyền (có thể gửi, nhận văn bản "
            "từ hai hệ thống). Hệ thống chữ ký số của cơ quan đảng, chính quyền đã được trang bị "
            "đầy đủ cho các cấp.",
            "Tiếp tục thực hiện Kế hoạch triển khai Nghị định số 118/2025/NĐ-CP ngày 09/6/2025 "
            "của Chính phủ về thực hiện thủ tục hành chính theo cơ chế một cửa, một cửa liên "
            "thông tại Bộ phận Một cửa và Cổng Dịch vụ công quốc gia trên địa bàn tỉnh Nghệ "
            "An[^Kế hoạch số 512/KH-UBND, ngày 28/6/2025 của Ủy ban nhân dân tỉnh Nghệ An.]. Đến "
            "nay, tỉnh đã công bố {{indicator.NTS_KPT:value}} thủ tục hành chính được cung cấp "
            "không phụ thuộc địa giới hành chính.",
            "Nền tảng VNeID phục vụ người dân, doanh nghiệp được tỉnh Nghệ An triển khai tích "
            "cực, các kết quả đạt được thuộc nhóm đứng đầu cả nước, như: Đã thu thập đồng bộ lên "
            "hệ thống trên 3,7 triệu thông tin dân cư đảm bảo “đúng, đủ, sạch, sống”; nhiều thông "
            "tin giấy tờ đã được tích hợp trên tài khoản định danh điện tử của công dân (sổ sức "
            "khỏe điện tử, giấy chuyển tuyến, giấy hẹn khám lại trên VneID;...); "
            "{{indicator.NTS_LLTP:value}} hồ sơ cấp Phiếu lý lịch tư pháp tiếp nhận qua VNeID và "
            "Cổng Dịch vụ công quốc gia (Nghệ An là một trong 09 tỉnh/thành đầu tiên trong cả "
            "nước triển khai).",
            "Thực hiện chỉ đạo của Ban Bí thư, Chính phủ, Bộ Công an về cấp Thẻ đảng viên trên "
            "nền tảng Cơ sở dữ liệu quốc gia về dân cư; định danh cơ quan, tổ chức; cấp tài khoản "
            "định danh điện tử mức độ 2 cho người nước ngoài, Tỉnh ủy, Ủy ban nhân dân tỉnh đã "
            "quyết liệt chỉ đạo triển khai, nhiều nhiệm vụ đạt kết quả cao. Tính đến ngày "
            "28/8/2025, đã thu nhận cấp đổi Thẻ đảng viên trên nền tảng Cơ sở dữ liệu quốc gia về "
            "dân cư cho {{indicator.CSDL_THEDV:numerator}}/{{indicator.CSDL_THEDV:denominator}} "
            "đảng viên (đạt {{indicator.CSDL_THEDV:value}}); đã có "
            "{{indicator.CSDL_DDTC_DN:value}} doanh nghiệp, hợp tác xã và "
            "{{indicator.CSDL_DDTC_CA:numerator}}/{{indicator.CSDL_DDTC_CA:denominator}} cơ quan "
            "Công an đã được thu nhận hồ sơ định danh tổ chức; {{indicator.CSDL_DD_NN:value}} "
            "người nước ngoài đủ điều kiện trên địa bàn tỉnh đã được tiếp nhận hồ sơ định danh "
            "điện tử với {{indicator.CSDL_DD_NN:numerator}} trường hợp.",
        ]
    ),
    "du-lieu": "\n".join(
        [
            "Ban Chỉ đạo tỉnh đã chỉ đạo các cơ quan, tổ chức, đơn vị, địa phương khẩn trương xây "
            "dựng và vận hành nền tảng hoặc hệ thống thông tin phục vụ số hoá, tạo lập, cập nhật, "
            "kết nối, chia sẻ dữ liệu thông suốt từ Trung ương, tỉnh đến xã, phường, có khả năng "
            "kết nối với các nền tảng, hệ thống khác trong hệ thống chính trị; xây dựng, đưa vào "
            "vận hành các cơ sở dữ liệu chuyên ngành, thủ tục hành chính theo yêu cầu; tiếp tục "
            "rà soát để cắt giảm, đơn giản hoá các thành phần hồ sơ của các thủ tục hành chính đã "
            "có cơ sở dữ liệu quốc gia, chuyên ngành, kết quả thực hiện:",
            "- Cơ sở dữ liệu quốc gia về dân cư được triển khai theo đúng tiến độ của Trung ương.",
            "- Triển khai chiến dịch 90 ngày đêm làm sạch dữ liệu đất đai.",
            "- Tập trung xây dựng cơ sở dữ liệu các ngành, lĩnh vực: nông nghiệp và môi trường (đã "
            "trình chủ trương đầu tư); công thương (đang thẩm định dự án); khoa học công nghệ "
            "(đang lập chủ trương đầu tư).",
            "- Tiếp tục đẩy mạnh số hóa hồ sơ, kết quả giải quyết thủ tục hành chính theo quy "
            "định, phục vụ tái sử dụng thông tin, dữ liệu:",
            "+ Tổng số hồ sơ được ghi nhận đồng bộ dữ liệu của toàn tỉnh trên Cổng dịch vụ công "
            "quốc gia như sau:",
            "Toàn tỉnh: {{indicator.NTS_TT_TINH:denominator}} hồ sơ (số hồ sơ nhiều đứng 6 toàn "
            "quốc), trong đó: số hồ sơ nộp trực tiếp: {{indicator.NTS_TT_TINH:remainder}} hồ sơ; "
            "số hồ sơ nộp trực tuyến: {{indicator.NTS_TT_TINH:numerator}} hồ sơ, tỷ lệ hồ sơ trực "
            "tuyến chiếm: {{indicator.NTS_TT_TINH:precise}}.",
            "Cấp xã: {{indicator.NTS_TT_XA:denominator}} hồ sơ (số hồ sơ nhiều đứng 4 toàn quốc), "
            "trong đó: số hồ sơ nộp trực tiếp: {{indicator.NTS_TT_XA:remainder}} hồ sơ; số hồ sơ "
            "nộp trực tuyến: {{indicator.NTS_TT_XA:numerator}} hồ sơ, tỷ lệ hồ sơ trực tuyến "
            "chiếm: {{indicator.NTS_TT_XA:precise}}.",
            "+ Số hóa hồ sơ: Số hồ sơ đã được khai thác, sử dụng dữ liệu số hóa đến 15/8/2025 với "
            "{{indicator.NTS_TAISD:value}} hồ sơ.",
            "+ Tỷ lệ hồ sơ cấp kết quả điện tử: {{indicator.NTS_KQDT:value}}.",
            "+ Tỷ lệ hồ sơ TTHC số hóa hồ sơ, kết quả giải quyết TTHC: "
            "{{indicator.NTS_SOHOA:value}}",
        ]
    ),
    "an-ninh-mang": "\n".join(
        [
            "Đã tổ chức rà soát hệ thống văn bản quy phạm pháp luật liên quan đến an ninh, an toàn "
            "thông tin mạng để phục vụ sửa đổi, bổ sung Luật An ninh mạng; Luật An toàn thông tin "
            "trình tại Kỳ họp thứ 10, Quốc hội khóa XV. Làm việc với Đoàn khảo sát của Trung tâm "
            "dữ liệu quốc gia tại tỉnh Nghệ An để triển khai một số nhiệm vụ xây dựng, vận hành "
            "Trung tâm dữ liệu quốc gia số 1. Tham gia Đoàn công tác số 3 của Tổ Công tác triển "
            "khai Đề án 06, cải cách hành chính và chuyển đổi số gắn với Đề án 06 của Bộ Công an "
            "tiến hành kiểm tra an ninh, an toàn các hệ thống thông tin và thiết bị đầu cuối tại "
            "Trung tâm Phục vụ hành chính công tỉnh Nghệ An và Trung tâm Phục vụ hành chính công "
            "cấp xã. Tổ chức Đoàn kiểm tra tiến hành xác minh vụ việc có dấu hiệu lộ lọt thông "
            "tin công dân trên Hệ thống cơ sở dữ liệu quốc gia về dân cư và công tác quản lý bảo "
            "mật hệ thống dữ liệu dân cư tại xã Na Ngoi.",
            "Duy trì hệ thống giám sát an toàn thông tin (SOC) kết nối đến gần 6.000 thiết bị đầu "
            "cuối; kết nối với Trung tâm giám sát an toàn thông tin quốc gia (NCSC).",
        ]
    ),
    "nang-luc-khcn": "\n".join(
        [
            "Hiện toàn tỉnh duy trì {{element.TC_KHCN_CL:value}} tổ chức khoa học, công nghệ công "
            "lập và {{element.TC_KHCN_NCL:value}} tổ chức khoa học, công nghệ ngoài công lập; "
            "trong đó có 7 đơn vị của các bộ, ngành Trung ương đóng trên địa bàn phạm vi hoạt "
            "động mang tính vùng, {{indicator.HTKH_LKV:value}} đơn vị khoa học, công nghệ tỉnh "
            "Nghệ An đã có liên kết hoạt động khoa học, công nghệ trong vùng. Ngoài ra, Nghệ An "
            "có Trung tâm Khoa học, Xã hội và Nhân văn, Sàn giao dịch công nghệ đã đi vào hoạt "
            "động, bước đầu đã có ảnh hưởng nhất định đối với các tỉnh trong vùng. Các tổ chức "
            "khoa học, công nghệ tiếp tục hoạt động tích cực và hiệu quả trong nghiên cứu, ứng "
            "dụng chuyển giao, dịch vụ khoa học, công nghệ và đổi mới sáng tạo; đóng góp tích cực "
            "vào hoạt động khoa học, công nghệ toàn tỉnh và góp phần phát triển kinh tế - xã hội, "
            "nguồn nhân lực khoa học, công nghệ ngày càng phát triển. Nghệ An chưa có phòng "
            "nghiên cứu, thử nghiệm, các phòng thí nghiệm trọng điểm quốc gia. Tỉnh có "
            "{{indicator.HTKH_VILAS:value}} phòng thí nghiệm công nhận Vilas và Vlat.",
            "Hiện đang nghiên cứu phát triển hạ tầng cơ sở, năng lực cho khoa học, công nghệ, đổi "
            "mới sáng tạo theo yêu cầu của Trung ương theo NQ 57-NQ/TW.",
        ]
    ),
    "nhan-luc-khcn": "\n".join(
        [
            "Tiếp tục xác định là các (04) nhóm nhiệm vụ quan trọng và đang được các sở, ngành, "
            "đơn vị nghiên cứu triển khai thực hiện trong thời gian tới để hoàn thành theo kế "
            "hoạch từ năm 2026. Trong đó, có 01 nhiệm vụ về “Xây dựng, triển khai cơ chế thu hút, "
            "trọng dụng, đãi ngộ các nhà khoa học, các chuyên gia, người có tài năng phục vụ phát "
            "triển kinh tế xã hội tỉnh” đang được Sở Nội vụ và Sở Khoa học và Công nghệ phối hợp "
            "thực hiện (Hiện Sở Nội vụ đã ban hành văn bản số 4008/SNV-CCVC ngày 21/7/2025 về việc "
            "góp ý dự thảo Nghị quyết của HĐND tỉnh quy định chính sách thu hút, trọng dụng người "
            "có tài năng làm việc trong cơ quan, tổ chức, đơn vị của Đảng cộng sản Việt Nam, Nhà "
            "nước, Mặt trận Tổ quốc Việt Nam và các tổ chức chính trị - xã hội tỉnh Nghệ An, đang "
            "tổng hợp ý kiến góp ý của các Sở ngành).",
            "Tiếp tục triển khai Kế hoạch số 374/KH-UBND ngày 22/5/2025 của UBND tỉnh về tiếp tục "
            "đổi mới căn bản, toàn diện giáo dục, đào tạo, gắn với chiến lược phát triển giáo "
            "dục; Nghị quyết đột phá phát triển khoa học công nghệ, đổi mới sáng tạo, chuyển đổi "
            "số quốc gia; đáp ứng hội nhập quốc tế trong tình hình mới của ngành giáo dục trên "
            "địa bàn tỉnh Nghệ An.",
        ]
    ),
    "nhan-luc-cds": "\n".join(
        [
            "- Cấp tỉnh và cấp xã đã bố trí ít nhất một cán bộ chuyên trách, phụ trách CNTT.",
            "- Về nhân lực cho việc tiếp nhận TTHC tại Trung tâm phục vụ hành chính công:",
            "+ Cấp tỉnh: Đáp ứng yêu cầu.",
            "+ Cấp xã: Giai đoạn đầu vận hành chính quyền địa phương 2 cấp còn nhiều bất cập, cán "
            "bộ kiêm nhiệm, không đúng chuyên môn, phải tăng cường đội ngũ đoàn viên, thanh niên, "
            "các doanh nghiệp và sự hỗ trợ trực tuyến 24/24h của cấp tỉnh để đảm bảo thực hiện "
            "nhiệm vụ. Đến nay cơ bản đã vận hành ổn định, thông suốt.",
            "- Tăng cường tập huấn, bồi dưỡng kỹ năng số cho cán bộ, công chức, viên chức và người "
            "dân:",
            "+ Đối với cán bộ, công chức, viên chức: Đã triển khai tập huấn, hướng dẫn trực tiếp, "
            "trực tuyến theo phương châm thực chiến, cầm tay chỉ việc. Tiếp tục triển khai bồi "
            "dưỡng cơ bản và nâng cao cho 130 cán bộ làm công tác chuyển đổi số của 130 xã, "
            "phường đáp ứng yêu cầu vị trí việc làm (đã hoàn thành đợt 1 với "
            "{{indicator.NNL_XA_BD:rounded}} cán bộ); dự kiến triển khai đợt 2 thực hiện trong "
            "tháng 10/2025.",
            "+ Đối với người dân: {{communes.BDHVS:complete}}/{{communes.BDHVS:assigned}} xã, "
            "phường đã ban hành Kế hoạch bình dân học vụ số, nhiều xã bắt đầu tổ chức lễ phát "
            "động trong chuỗi sự kiện Ngày chuyển đổi số 10/10, đồng thời tập huấn chuyển đổi số "
            "cho cán bộ thôn, xóm, tổ công nghệ số cộng đồng.",
        ]
    ),
    "tai-chinh": (
        "Trên cơ sở hướng dẫn của Bộ Khoa học và Công nghệ, tỉnh Nghệ An đã báo cáo đề xuất tài "
        "chính, kinh phí để Bộ Khoa học và Công nghệ tổng hợp."
    ),
    "hop-tac": "\n".join(
        [
            "- Ủy ban nhân dân tỉnh đã ban hành Kế hoạch số 753/KH-UBND ngày 11/9/2025 hợp tác "
            "quốc tế về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số tỉnh "
            "Nghệ An để triển khai thực hiện.",
            "- Tổ chức rà soát các cam kết hợp tác quốc tế giữa Nghệ An với các nước theo yêu cầu "
            "của Trung ương.",
        ]
    ),
    "ton-tai": "\n".join(
        [
            "1. Trong Quý III, tỉnh Nghệ An liên tục chịu ảnh hưởng của thiên tai bão lũ, gây ra "
            "nhiều thiệt hại về hạ tầng viễn thông, hạ tầng số trên địa bàn tỉnh; hậu quả của cơn "
            "bão trước chưa khắc phục xong thì cơn bão sau đã đổ bộ đến. Hiện tại các phường "
            "thuộc thành phố Vinh (cũ), chưa khắc phục xong hậu quả đứt gãy, chùng cáp viễn thông "
            "trên các tuyến đường; ước tính thiệt hại hơn 2,7 tỷ đồng[^Theo thống kê từ Báo cáo "
            "của các doanh nghiệp viễn thông trên địa bàn tỉnh.]. Nhiều khu vực, đặc biệt ở miền "
            "Tây của tỉnh tình trạng ngập, lụt, nguy cơ sạt lở vẫn diễn biến phức tạp. Việc gián "
            "đoạn thông tin liên lạc, ảnh hưởng lớn đến công tác chỉ đạo, lãnh đạo, điều hành "
            "khắc phục hậu quả thiên tai trong nhiều ngày.",
            "2. Quy trình, thủ tục đầu tư, ứng dụng CNTT, chuyển đổi số còn nhiều vướng mắc, chưa "
            "được tháo gỡ triệt để (về quy trình thực hiện, thẩm quyền quyết định phương thức đầu "
            "tư, mua sắm, xây dựng, thuê dịch vụ,...) ảnh hưởng đến tiến độ triển khai một số "
            "nhiệm vụ, trong đó có Trung tâm giám sát điều hành thông minh của tỉnh (IOC)[^Hồ sơ, "
            "quy trình theo Nghị định số 98/2025/NĐ-CP, ngày 06/5/2025 của Chính phủ quy định việc "
            "lập dự toán, quản lý, sử dụng và quyết toán chi thường xuyên ngân sách nhà nước để "
            "mua sắm, sửa chữa, cải tạo, nâng cấp tài sản, trang thiết bị; chi thuê hàng hóa, dịch "
            "vụ; sửa chữa, cải tạo, nâng cấp, mở rộng, xây dựng mới hạng mục công trình trong các "
            "dự án đã đầu tư xây dựng và các nhiệm vụ cần thiết khác.].",
            "3. Thực hiện dịch vụ công trực tuyến, đặc biệt ở cấp xã còn nhiều khó khăn, vướng mắc "
            "về cơ sở vật chất, trang thiết bị và nhân lực.",
            "4. Một số chỉ tiêu, nhiệm vụ chưa có khung tiêu chí đánh giá, quy định, hướng dẫn của "
            "cấp có thẩm quyền, do đó các địa phương còn lúng túng trong xác định phương pháp và "
            "nội dung thực hiện[^Trình độ, năng lực công nghệ, đổi mới sáng tạo của doanh nghiệp; "
            "tiềm lực, trình độ khoa học, công nghệ và đổi mới sáng tạo; tỷ lệ doanh nghiệp vừa và "
            "nhỏ địa phương ứng dụng công nghệ số; ...].",
            "5. Một số vướng mắc trong kết nối, liên thông và chia sẻ dữ liệu giữa các hệ thống "
            "thông tin phục vụ giải quyết thủ tục hành chính vẫn chưa được khắc phục triệt để, "
            "nhất là giữa Hệ thống đăng ký hộ kinh doanh, hợp tác xã và Công Dịch vụ công quốc "
            "gia về đăng ký doanh nghiệp do Bộ Tài chính quản lý.",
            "6. Tiến độ số hóa hồ sơ, xây dựng cơ sở dữ liệu chưa đáp ứng yêu cầu, do các bộ, "
            "ban, ngành chưa ban hành đầy đủ hướng dẫn về danh mục, tiêu chuẩn, quy chuẩn kỹ "
            "thuật về dữ liệu chuyên ngành.",
            "7. Nhân lực về khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số hiện nay vẫn "
            "còn rất hạn chế, nhất là nhân lực công nghệ thông tin chất lượng cao, nhân lực làm "
            "công tác cơ yếu tại cấp xã.",
        ]
    ),
    "nhiem-vu": "\n".join(
        [
            "Các cơ quan, tổ chức, đơn vị và các xã, phường căn cứ chức năng, nhiệm vụ được giao, "
            "tập trung thực hiện các nhiệm vụ:",
            "1. Khẩn trương rà soát các nhiệm vụ theo các thông báo, kết luận của Trung ương và "
            "các kế hoạch của tỉnh đã ban hành để điều chỉnh, bổ sung mục tiêu, nhiệm vụ bảo đảm "
            "tiến độ, phù hợp với khả năng và nguồn lực thực hiện.",
            "2. Xây dựng và hoàn thiện công cụ báo cáo của tỉnh về thực hiện các nhiệm vụ Nghị "
            "quyết số 57-NQ/TW; tổ chức hướng dẫn, phân cấp, phân quyền tài khoản báo cáo cho các "
            "sở, ban, ngành, địa phương bảo đảm tổng hợp nhanh, khách quan và thể hiện trách "
            "nhiệm của các cơ quan, đơn vị trong thực hiện và báo cáo nhiệm vụ. **Hoàn thành trong "
            "tháng 10/2025.**",
            "3. Chỉ đạo các doanh nghiệp viễn thông khẩn trương triển khai và hoàn thành đúng tiến "
            "độ việc nâng cấp, chỉnh trang, hạ ngầm mạng cáp viễn thông theo kế hoạch đã được phê "
            "duyệt, hạn chế bị tác động trước các tình huống thiên tai, bảo đảm hạ tầng kỹ thuật "
            "bền vững.",
            "4. Rà soát các quy định hiện hành về đầu tư, mua sắm, xây dựng, thuê dịch vụ công "
            "nghệ thông tin; ban hành trình tự, quy trình thực hiện đối với các nhóm hình thức đầu "
            "tư, bảo đảm đúng quy định, kịp thời tháo gỡ các khó khăn, vướng mắc trong đầu tư.",
            "5. Tiếp tục đầu tư trang thiết bị đáp ứng yêu cầu công việc, ưu tiên các địa bàn khó "
            "khăn; nghiên cứu cơ chế hỗ trợ nhân lực kiêm nhiệm thực hiện nhiệm vụ chuyển đổi số "
            "tại cấp xã.",
            "6. Nghiên cứu tích hợp, nâng cấp, bổ sung một số tính năng vào Bản đồ số (bản đồ hộ "
            "nghèo, hộ cận nghèo; chức năng cảnh báo, dẫn đường; địa chỉ các trạm y tế,...).",
            "7. Khẩn trương xây dựng và hoàn thành Kế hoạch phát triển hệ thống sóng viễn thông "
            "5G, Internet vạn vật (IoT) trong các khu công nghiệp. **Hoàn thành trong tháng "
            "10/2025.**",
            "8. Rà soát các nhiệm vụ đang thực hiện của năm 2025, nhất là các nhiệm vụ có thời "
            "hạn, khẩn trương triển khai thực hiện để bảo đảm tiến độ, trong đó:",
            "- Đối với các chỉ tiêu, nhiệm vụ liên quan đến nhiều sở, ban, ngành, địa phương: Căn "
            "cứ chức năng, nhiệm vụ được giao rà soát, hoàn thiện các chỉ tiêu, nhiệm vụ theo từng "
            "ngành, lĩnh vực quản lý (xây dựng, y tế, giáo dục và đào tạo, khoa học và công nghệ, "
            "nội vụ, văn phòng UBND tỉnh,...).",
            "- Đối với các chỉ tiêu chưa đánh giá được: Giao các sở, ban, ngành chủ trì nghiên cứu "
            "phương pháp đánh giá phù hợp. Trường hợp cần thiết, xây dựng bộ tiêu chí và phương "
            "pháp đánh giá tạm thời trong khi chờ Trung ương hướng dẫn (nếu có).",
            "9. Phân công đầu mối theo dõi tình hình thực hiện các nhiệm vụ theo Kế hoạch số "
            "02-KH/BCĐTW (giai đoạn 2) đối với các hoạt động cơ quan Đảng, Hội đồng nhân dân và "
            "Ủy ban Mặt trận Tổ quốc tỉnh; đôn đốc, giám sát chặt chẽ kết quả thực hiện trên Cổng "
            "giám sát và đánh giá thực hiện Nghị quyết số 57-NQ/TW (https://nq57.vn).",
            "10. Tổ chức khóa bồi dưỡng, phổ cập kiến thức về khoa học, công nghệ, đổi mới sáng "
            "tạo và chuyển đổi số cho các đồng chí lãnh đạo cấp tỉnh; bí thư, phó bí thư, chủ "
            "tịch, phó chủ tịch cấp xã. **Hoàn thành trong tháng 10/2025.**",
            "11. Tiếp tục rà soát, tổ chức triển khai hiệu quả các nhiệm vụ về chuyển đổi số trong "
            "các cơ quan Đảng, Mặt trận Tổ quốc và các tổ chức chính trị - xã hội, bảo đảm tiến độ "
            "và chất lượng theo yêu cầu.",
            "12. Nghiêm túc thực hiện chế độ báo cáo theo Quy chế hoạt động của Ban Chỉ đạo và đề "
            "nghị của các cơ quan thường trực phục vụ tổ chức các phiên họp Trung ương, tỉnh và "
            "phục vụ công tác kiểm tra, giám sát.",
        ]
    ),
    "kien-nghi": (
        "Đề nghị Ban Chỉ đạo Trung ương tiếp tục quan tâm, hỗ trợ các địa phương trong quá trình "
        "triển khai Nghị quyết số 57-NQ/TW; đồng thời, đề nghị lãnh đạo các ban, bộ, ngành Trung "
        "ương sớm ban hành hướng dẫn về khung tiêu chí và phương pháp đánh giá đối với những chỉ "
        "tiêu, nhiệm vụ hiện chưa có cơ sở đánh giá (như đã nêu tại phần tồn tại, hạn chế và "
        "điểm nghẽn)."
    ),
}
