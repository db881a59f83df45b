"""A question that says the opposite of its sentence: hand-made cases for both features."""

import pytest

from qa.polarity import _KEYED, OPPOSITES, name_swap, negation_miss, opposite_miss


@pytest.mark.parametrize("question, sentence, missed", [
    ("Which country was not hit by the embargo?", "The embargo hit the United States.", 1.0),
    ("Which country wasn't hit by the embargo?", "The embargo hit the United States.", 1.0),
    ("Which country wasn’t hit by the embargo?", "The embargo hit the United States.", 1.0),  # a typographic apostrophe
    ("Who never signed the treaty?", "Napoleon signed it in 1805.", 1.0),
    ("Which country was not hit by the embargo?", "Canada was not hit by the embargo.", 0.0),
    ("Which country wasn't hit by the embargo?", "Canada was spared, having no oil imports.", 0.0),
    ("Why do victims not report the crime?", "Few victims report it, out of fear.", 0.0),  # few: a negative too
    ("What kind of disorder occurs when the system isn't active?", "It is less active than normal.", 0.0),
    ("What cells are unable to remember pathogens?", "Memory cells remember each pathogen.", 1.0),
    ("Which country cannot export oil?", "Iran exports oil.", 1.0),
    ("Who is unable to vote?", "Prisoners are unable to vote.", 0.0),
    ("Which country was hit by the embargo?", "The embargo hit the United States.", 0.0),
    ("What is the knot called?", "The knot is a bowline.", 0.0),  # "not" inside a word
    ("Who signed Decree No. 1981?", "The President signed it.", 0.0),  # a number sign, no negation
])
def test_a_negated_question_over_a_sentence_that_negates_nothing(question, sentence, missed):
    assert negation_miss(question, sentence) == missed


@pytest.mark.parametrize("question, sentence, missed", [
    ("Which province has the lowest number of cases?", "Pichincha has the highest number of cases.", 1.0),
    ("What happened before the meeting?", "After the meeting, the ministers signed a declaration.", 1.0),
    ("Which tribes opposed the treaty?", "The Iroquois supported the treaty.", 1.0),
    ("Which province has the lowest number of cases?", "Pichincha has the lowest number of cases.", 0.0),
    ("Which province has the lowest number of cases?", "Imbabura has the lowest and Pichincha the highest.", 0.0),
    ("Was the lowest or the highest number reported?", "The highest number was reported.", 0.0),  # the question names both
    ("What happened before the meeting?", "The ministers met in Lima.", 0.0),  # no opposite said
    ("Which province has the fewest cases?", "Pichincha has the most cases.", 1.0),
    ("What is the second item of business?", "The first item of business is Time for Reflection.", 1.0),
    ("What is easy about proving lower bounds?", "Proving lower bounds is much more difficult.", 1.0),
    ("When was the old parliament convened?", "The current and new Parliament was convened in 1999.", 1.0),
    ("What is the second item of business?", "The first item is prayer; the second item is debate.", 0.0),
    ("How many boys have been trafficked?", "More than 5,000 girls and adolescents have been trafficked.", 1.0),
    ("What disease mostly strikes men?", "Lupus mostly strikes women.", 1.0),
    ("How many boys and girls were trafficked?", "More than 5,000 girls were trafficked.", 0.0),  # both asked
    ("Who was Emma's brother?", "Emma was the sister of Duke Richard II.", 0.0),  # a sibling answers the other way
    ("What does the failure of a pathogen depend on?", "The success of a pathogen depends on its ability.", 1.0),
    ("What force is due to attractive forces?", "The normal force is due to repulsive forces.", 1.0),
    ("What time of day did they gather?", "They gathered at night.", 0.0),  # "time of day" asks for a night too
    ("Who won the battle?", "The Franks defeated the Saxons.", 0.0),  # a converse: winning is defeating
    ("In what year was Henry of Navarre born?", "Henry of Navarre died in 1610.", 1.0),
    ("When was Zhu Shijie born?", "Zhu Shijie (born 1249, died 1314) was a mathematician.", 0.0),
    ("Optional committees are set down under what?", "Mandatory committees are set down under the standing orders.", 1.0),
    ("How long does a machine take to output an answer?", "The time on input x is the number of steps before it outputs", 0.0),
    ("Who will oppose the plan?", "The ministry will support the plan.", 1.0),
    ("What happens when the system isn't active?", "Disorders occur when its components are inactive.", 0.0),  # "isn't active"
    ("When did the age of imperialism end?", "The age, a period beginning around 1700, ended in 1914", 0.0),
    ("What do increased hormone levels cause?", "A decline in hormone levels weakens immunity.", 1.0),  # other forms
    ("Who typically closes debates?", "The Presiding Officer opens each debate.", 1.0),
    ("When did the price increase?", "The price increased and then declined.", 0.0),  # "increased" is "increase"
    ("What are the least important mediators?", "Innate cells are important mediators.", 1.0),
    ("Which province has the least cases?", "Loja has the fewest cases.", 0.0),
    ("Which province has the least cases?", "Loja reported fewer cases than Quito.", 0.0),
    ("How many weeks of holiday are required at least?", "Every worker has four weeks.", 0.0),  # "at least"
    ("How many non-Muslims are in Greater London?", "Greater London has over 900,000 Muslims.", 1.0),
    ("When did the people suffer unnatural disasters?", "They suffered a series of natural disasters.", 1.0),
    ("Laboratory measurements are inconsistent with what?", "They are consistent with the law.", 1.0),
    ("In cases of non shared medium how are packets delivered?", "In case of a shared medium, packets are broadcast.", 1.0),
    ("What is an example of the abnormal force?", "An example of the normal force is the impact force.", 1.0),
    ("A balanced force accelerates what?", "The unbalanced force that accelerates an object is radial.", 1.0),  # backwards
    ("Who is not able to legislate?", "Westminster is unable to legislate on it.", 0.0),  # the question negates too
    ("Who unified the forces through two consistent theories?", "Maxwell unified them through one consistent theory.", 1.0),
    ("All the forces are based on three fundamental interactions?", "All forces are based on 4 fundamental interactions.", 1.0),
    ("How many layers did DEC have, 3 layers?", "Initially built with three layers, it later evolved.", 0.0),  # 3 is three
    ("How long did the fighting last in the Seven Years War?", "The fighting lasted six years in America.", 0.0),  # a name
    ("Who led Russia in the 1960's?", "In the late 1950s, Khrushchev led the thaw.", 0.0),  # a decade is loose
    ("What engines became widespread by the 20th century?", "Turbines spread in the 19th century.", 1.0),
    ("What do simple organisms lack?", "Simple organisms possess enzymes.", 1.0),
    ("Hundreds of madrasahs spawned what organization?", "Thousands of madrasahs spawned the Taliban.", 1.0),
    ("What did the party lose in the election?", "It won the majority of the seats.", 1.0),  # an irregular form listed
    ("What term refers to the concrete question?", "A problem refers to the abstract question.", 1.0),
    ("Who won the championship in 1998?", "Polonia won the championship in 1946.", 1.0),
    ("Who won the championship prior to 2000?", "Polonia won the championship in 1946.", 0.0),  # a bound
    ("Where did France win a war in the 1950's?", "They won the war in Algeria and left in 1962.", 0.0),  # a decade
    ("What was founded in 1998?", "The network, founded in 1998, grew by 2001.", 0.0),
    ("How long will the new agreement last?", "It builds on the first phase of the programme.", 0.0),  # a verb
    ("How long did the war last in the north?", "The first battles were fought in the north.", 0.0),
    ("What was the last fort built?", "The first fort built was Fort Duquesne.", 1.0),
    ("How long would the invasion have to take?", "A short invasion was planned.", 0.0),  # "how long" asks a length
    ("Besides North America, where did refugees settle?", "Refugees settled in South Africa.", 0.0),  # names
    ("How long did the invasion of the Middle East take?", "The West invaded in 1990.", 0.0),
    ("Which province in the north has most cases?", "Loja, in the south, has most cases.", 1.0),
    ("North of which city is the lake?", "The lake lies south of Quito.", 1.0),  # the question's first word
    ("When did Eastern governments support the Islamists?", "Western governments supported them in the 1970s.", 1.0),
    ("How many non-Muslims live there?", "Muslims and non-Muslims live there.", 0.0),  # the sentence says both
    ("What is unknown about the classes?", "It is not known whether the classes are equal.", 0.0),  # negated
    ("What is unknown about the classes?", "It isn't known whether the classes are equal.", 0.0),
    ("What policies did the Muslims dislike?", "The Muslims, like the Han, paid taxes.", 0.0),  # too short to be a prefix
    ("Which non-governmental groups help?", "Several non-governmental groups help.", 0.0),
    ("Since 1978 how many courses were needed?", "Since 2008, students need eight courses.", 1.0),  # the same bound
    ("Until 1978 how many courses were needed?", "Since 2008, students need eight courses.", 0.0),  # another bound
    ("How are packets forwarded synchronously?", "Packets are forwarded asynchronously.", 1.0),
    ("What is an asymmetric cipher?", "A symmetric cipher uses one key.", 1.0),
    ("Where did the ship run aground?", "The ship hit the ground off Cork.", 0.0),  # "a" negates an adjective only
    ("What ground did the ship hit?", "The ship ran aground off Cork.", 0.0),
    ("What discouraged trade?", "Low taxes encouraged trade.", 1.0),
    ("What is the qualitative answer?", "The quantitative answer is of little use.", 1.0),
    ("Which histories were unofficially written?", "He finished the official histories.", 1.0),
    ("How did he build a weak economic base?", "He built a powerful economic base.", 1.0),
    ("What force leads to a commonly used unit?", "It leads to a rarely used unit.", 1.0),
    ("A balance force accelerates what?", "The unbalanced force accelerates an object.", 1.0),  # "balance" of "balanced"
    ("What takes two to three weeks to develop?", "Type IV takes two to three days to develop.", 1.0),  # another unit
    ("What takes three weeks to develop?", "It takes 21 days, three weeks, to develop.", 0.0),
    ("What takes three weeks to develop?", "It takes five days to develop.", 0.0),  # another number too: loose
    ("What takes three weeks to develop?", "It takes three years and 21 days to develop.", 1.0),
    ("What did the liberal force do?", "The conservative force did work.", 1.0),
    ("When was Iqbal elected vice president of the League?", "Iqbal was elected president of the League.", 1.0),
    ("When was Biden vice president?", "Obama was president, Biden vice president.", 0.0),
    ("Who was the first elected president outside of Egypt?", "Morsi was the first elected president of Egypt.", 1.0),
    ("Who worked outside of the country?", "He worked in the country.", 0.0),  # no name
    ("What did objects in motion do?", "Motionless objects stayed.", 1.0),
    ("What forces use mass strings?", "Tension uses massless strings.", 1.0),
    ("What did the massless strings do?", "The massless strings held.", 0.0),
    ("What did objects in motion do?", "Motionless objects, unlike objects in motion, stayed.", 0.0),  # both
    ("Who was president outside of Egypt?", "Outside of Egypt, Morsi was known as president of Egypt.", 0.0),
    ("What is the curved path seen as?", "The straight path is seen as a line.", 1.0),
    ("Which job requires that members be under 18?", "Members must be over the age of 18.", 1.0),  # bounded otherwise
    ("Which job requires that members be over 18?", "Members must be over the age of 18.", 0.0),
    ("Who employs over 5,000 people?", "The firm employs under 5,000 people.", 1.0),
    ("Who employs over 5,000 people?", "Under 5,000 work here, over 5,000 there.", 0.0),
    ("Who congratulated the SNP on their loss?", "Cameron congratulated the SNP on their victory.", 1.0),
    ("Where did the fewest Huguenots stay?", "Those Huguenots who stayed became Catholics.", 1.0),
    ("Where did the fewest Huguenots stay?", "Fewer Huguenots stayed in Lyon than anywhere.", 0.0),
    ("At 5 am, what do the members decide on?", "Each day, at 5 pm, members decide on motions.", 1.0),
    ("Who may vary the date by up to three months?", "It may be varied by up to one month.", 1.0),  # "month" of "months"
    ("Who fled from southern Italy?", "Several monks fled to southern Italy.", 1.0),  # the other way
    ("What exposes organisms to infection?", "Barriers protect organisms from infection.", 1.0),
    ("Who fled from southern Italy?", "Monks fled to southern Italy and from southern Italy.", 0.0),  # both
    ("When are forces from the presence of objects?", "Forces are attributed to the presence of objects.", 0.0),
    ("Demand for a parliament declined in what year?", "Demand for a parliament grew in 1990.", 1.0),
    ("In what year did demand decline?", "Demand began to grow in 1990.", 1.0),
    ("What is responsible for the slow spread of ideas?", "Trade allowed the rapid spread of ideas.", 1.0),
    ("When did the Brotherhood support violence?", "By the 1970s, the Brotherhood had renounced violence.", 1.0),
    ("What is harder to analyze?", "Some problems are easier to analyze.", 1.0),
    ("What laws are different in every frame?", "The laws are the same in every frame.", 0.0),  # "same" is no listed opposite
    ("When did the colonies lose their independence?", "The colonies gained independence in 1820.", 1.0),
    ("What is the rarest cause in developing countries?", "In developed countries, obesity is a common cause.", 1.0),
    ("The referendum succeeded in what year?", "The 1979 referendum failed.", 1.0),
    ("Who was Kublai Khan's uncle?", "His grandfather Genghis Khan united the tribes.", 1.0),
    ("Who was Ayurbarwada's daughter?", "Ayurbarwada's son was Emperor Gegeen Khan.", 1.0),
    ("In what year was the fort built?", "The fort was destroyed in 1560.", 1.0),
    ("Who ordered Loudoun to defend Louisbourg?", "Pitt ordered Loudoun to attack Louisbourg.", 1.0),
    ("Who was Emma's brother?", "Emma, sister of Duke Richard II, married Ethelred.", 0.0),  # a converse, not listed
])
def test_a_word_whose_opposite_the_sentence_says(question, sentence, missed):
    assert opposite_miss(question, sentence) == missed


def test_opposites_go_both_ways():
    assert all(w in OPPOSITES[o] for w, opposite in OPPOSITES.items() for o in opposite)
    assert OPPOSITES["most"] >= {"least", "fewest"}
    assert OPPOSITES["second"] >= {"first", "third"} and "second" not in OPPOSITES["second"]


def test_no_word_is_its_own_opposite_in_another_form():
    assert not [key for key, opposite in _KEYED.items() if key in opposite]


_RELEASE = "The Han Chinese defected. The Standard Model predicts it. Colombia and Ecuador signed. Apple Inc. built AppleTalk."


@pytest.mark.parametrize("question, sentence, swapped", [
    ("Who did the Han Japanese want to fight?", "Many Han Chinese defected to fight the Jin.", True),
    ("The Unique Model predicts what?", "The Standard Model predicts that bosons carry force.", True),
    ("Who did the Han Chinese want to fight?", "Many Han Chinese defected to fight the Jin.", False),  # the same name
    ("Who did the Han Chinese want to fight?", "Many Chinese defected to fight the Jin.", False),  # no other name
    ("Who led Labour leader Lain Gray's campaign?", "Labour leader Iain Gray retained the seat.", False),  # a misspelling
    ("When was the Office of Eastern Medicine founded?", "He founded the Office of Western Medicine.", True),  # opposites
    ("Which Ecuadorian police unit did IOM support?", "IOM supported the Child Welfare Police.", False),  # "Ecuador" said
    ("What was Apple Talk?", "Apple Inc. built AppleTalk, a suite of protocols.", False),  # run together
    ("What did DECnet Phase I become?", "DECnet Phase II was an open standard.", True),
    ("What did DECnet Phase 2 become?", "DECnet Phase II was an open standard.", False),  # 2 is II
    ("What did DECnet Phase II become?", "DECnet Phase II and Phase III were open standards.", False),
    ("By 1998 how many universities were connected?", "By 2001, 100 universities were connected.", False),  # no name
    ("Who opened the building on October 9?", "The Queen opened it on 9 October 2004.", False),  # a date
])
def test_a_name_the_sentence_gives_otherwise(question, sentence, swapped):
    assert name_swap(question, sentence, _RELEASE + " " + sentence) is swapped


def test_a_name_the_release_says_elsewhere_is_no_swap():
    question, sentence = "Who did the Han Japanese want to fight?", "Many Han Chinese defected to fight the Jin."
    assert not name_swap(question, sentence, sentence + " Japanese envoys came later.")
